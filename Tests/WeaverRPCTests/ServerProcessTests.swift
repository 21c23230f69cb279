import Testing

/// Tests that run `weaver bench serve-echo` processes and load them hard (floods, SIGTERM
/// and SIGKILL under 32 callers, thousands of connections). They run one at a time, so
/// each has the machine's two cores to share with the lighter tests only, and what one
/// measures (a server's memory, how fast callers fail) is not another's load.
@Suite(.serialized) enum ServerProcessTests {}
