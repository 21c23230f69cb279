// gRPC-Go echo server for the peer comparison (../shared/bench/echo.proto). Built offline
// in GOPATH mode from Debian's golang-google-grpc-dev by Benchmarks/run-peer-bench.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"

	"google.golang.org/grpc"

	"echobench/echo"
)

type server struct{}

func (server) Echo(_ context.Context, request *echo.EchoRequest) (*echo.EchoResponse, error) {
	return &echo.EchoResponse{Message: request.Message}, nil
}

func main() {
	port := flag.Int("port", 50051, "port to listen on (127.0.0.1)")
	flag.Parse()
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		log.Fatal(err)
	}
	grpcServer := grpc.NewServer()
	echo.RegisterEchoServer(grpcServer, server{})
	fmt.Printf("listening on %s\n", listener.Addr())
	log.Fatal(grpcServer.Serve(listener))
}
