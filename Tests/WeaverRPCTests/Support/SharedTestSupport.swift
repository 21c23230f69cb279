// Every test file here sees the shared test helpers (eventually, ExternalTool, …).
@_exported import WeaverTestSupport
