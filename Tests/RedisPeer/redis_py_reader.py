#!/usr/bin/env python3
"""An independent reader for WeaverRedis's tests: redis-py (pip install redis) in cluster
mode, or against a standalone server, reads back what our client wrote.

    python3 Tests/RedisPeer/redis_py_reader.py cluster|standalone PORT[,PORT…] KEYS_JSON|@FILE

PORT lists the servers to start from (a cluster's live nodes: any one is enough). KEYS_JSON,
given inline or in FILE, is a JSON object {"strings": [key…], "hashes": [key…], "zsets": [key…]} and prints one
JSON object: strings as hex, hashes as {field: hex}, sorted sets as [[member hex, score]…]
(a missing key is null). Uses the default python3.
"""
import json
import sys

try:
    import redis
    from redis.cluster import ClusterNode, RedisCluster
except ImportError:
    print("redis-py is missing: scripts/install-test-deps (python3 -m pip install redis)", file=sys.stderr)
    sys.exit(2)


def main():
    mode, ports = sys.argv[1], [int(port) for port in sys.argv[2].split(",")]
    if mode == "cluster":
        nodes = [ClusterNode("127.0.0.1", port) for port in ports]
        client = RedisCluster(startup_nodes=nodes, decode_responses=False)
    else:
        client = redis.Redis(host="127.0.0.1", port=ports[0], decode_responses=False)
    argument = sys.argv[3]
    if argument.startswith("@"):
        with open(argument[1:]) as handle:
            argument = handle.read()
    wanted = json.loads(argument)
    result = {"strings": {}, "hashes": {}, "zsets": {}}
    for key in wanted.get("strings", []):
        value = client.get(key)
        result["strings"][key] = None if value is None else value.hex()
    for key in wanted.get("hashes", []):
        fields = client.hgetall(key)
        result["hashes"][key] = {field.decode(): value.hex() for field, value in fields.items()}
    for key in wanted.get("zsets", []):
        members = client.zrange(key, 0, -1, withscores=True)
        result["zsets"][key] = [[member.hex(), score] for member, score in members]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
