"""Validates rule files (YAML or JSON) against docs/governance.schema.json with the
`jsonschema` package, a real JSON Schema 2020-12 validator: prints one line per file,
`ok` or `invalid: <first error>`. Used by RuleSchemaValidationTests.

Runs under the default python3 (pyenv 3.11 here) with `jsonschema` and `pyyaml` from pip
(scripts/install-test-deps installs them).

usage: validate_rules.py SCHEMA FILE...
"""
import json
import sys

import jsonschema
import yaml


def main():
    schema = json.load(open(sys.argv[1]))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sys.argv[2:]:
        document = yaml.safe_load(open(path)) or {}
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
        if errors:
            where = ".".join(str(part) for part in errors[0].path)
            print(f"{path}: invalid: {where}: {errors[0].message}")
        else:
            print(f"{path}: ok")


if __name__ == "__main__":
    main()
