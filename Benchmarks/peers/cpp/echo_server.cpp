// Apache Thrift C++ echo server for the peer comparison: TNonblockingServer, Framed
// transport, binary protocol, the shared benchmark IDL (../shared/bench/echo.thrift).
// Handlers run on the I/O threads (no worker pool): the fastest way to serve a call that
// does no work. Built by Benchmarks/run-peer-bench from Debian's libthrift-dev.
#include <cstdlib>
#include <iostream>
#include <memory>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TNonblockingServer.h>
#include <thrift/transport/TNonblockingServerSocket.h>

#include "EchoService.h"

namespace {

class EchoHandler : public EchoServiceIf {
 public:
  void echo(EchoResponse& response, const EchoRequest& request) override {
    response.message = request.message;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: echo_server PORT [IO_THREADS]\n";
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int ioThreads = argc > 2 ? std::atoi(argv[2]) : 2;
  using namespace apache::thrift;
  auto processor = std::make_shared<EchoServiceProcessor>(std::make_shared<EchoHandler>());
  auto protocols = std::make_shared<protocol::TBinaryProtocolFactory>();
  auto socket = std::make_shared<transport::TNonblockingServerSocket>("127.0.0.1", port);
  server::TNonblockingServer server(processor, protocols, socket);
  server.setNumIOThreads(ioThreads);
  std::cout << "listening on 127.0.0.1:" << port << std::endl;
  server.serve();
  return 0;
}
