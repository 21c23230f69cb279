// The three protocols the load generator speaks; each gives the workers echo functions
// (worker i uses echoers[i % len]) that send the message and return the reply's.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	"echobench/echo"
	"echobench/echothrift"
)

type echoFunc func(ctx context.Context) (string, error)

type dialed struct {
	transport, protocol string
	echoers             []echoFunc
	kind                func(error) string // the report's name for a failure
	close               func()
}

var errWrongReply = errors.New("wrong reply")

func dial(protocol, target string, connections int, message string, timeout time.Duration) (*dialed, error) {
	switch protocol {
	case "grpc":
		return dialGRPC(target, connections, message)
	case "thrift":
		return dialThrift(target, connections, message, timeout)
	case "http":
		return dialHTTP(target, connections, message, timeout)
	}
	return nil, fmt.Errorf("unknown protocol %q (grpc, thrift or http)", protocol)
}

// gRPC: one grpc-go ClientConn (one HTTP/2 connection) per connection.
func dialGRPC(target string, connections int, message string) (*dialed, error) {
	result := &dialed{transport: "grpc", protocol: "protobuf"}
	var conns []*grpc.ClientConn
	result.close = func() {
		for _, conn := range conns {
			conn.Close()
		}
	}
	request := &echo.EchoRequest{Message: message}
	for i := 0; i < connections; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := grpc.DialContext(ctx, target, grpc.WithInsecure(), grpc.WithBlock())
		cancel()
		if err != nil {
			result.close()
			return nil, err
		}
		conns = append(conns, conn)
		client := echo.NewEchoClient(conn)
		result.echoers = append(result.echoers, func(ctx context.Context) (string, error) {
			reply, err := client.Echo(ctx, request)
			if err != nil {
				return "", err
			}
			return reply.Message, nil
		})
	}
	result.kind = func(err error) string {
		if errors.Is(err, errWrongReply) {
			return "wrongReply"
		}
		return status.Code(err).String()
	}
	return result, nil
}

// Thrift: Apache Thrift's Go client, Framed transport + strict binary protocol, one call at
// a time per connection (workers sharing a connection take turns).
type thriftConnection struct {
	mutex     sync.Mutex
	target    string
	conf      *thrift.TConfiguration
	transport thrift.TTransport
	client    *echothrift.EchoServiceClient
}

func (c *thriftConnection) open() error {
	transport := thrift.NewTFramedTransportConf(thrift.NewTSocketConf(c.target, c.conf), c.conf)
	if err := transport.Open(); err != nil {
		return err
	}
	protocol := thrift.NewTBinaryProtocolConf(transport, c.conf)
	c.transport, c.client = transport, echothrift.NewEchoServiceClient(thrift.NewTStandardClient(protocol, protocol))
	return nil
}

func (c *thriftConnection) echo(ctx context.Context, request *echothrift.EchoRequest) (string, error) {
	c.mutex.Lock()
	defer c.mutex.Unlock()
	if c.client == nil {
		if err := c.open(); err != nil {
			return "", err
		}
	}
	reply, err := c.client.Echo(ctx, request)
	if err != nil {
		// The connection may be mid-frame: the next call starts on a new one.
		c.transport.Close()
		c.client = nil
		return "", err
	}
	return reply.Message, nil
}

func dialThrift(target string, connections int, message string, timeout time.Duration) (*dialed, error) {
	conf := &thrift.TConfiguration{
		ConnectTimeout: 2 * time.Second, SocketTimeout: timeout,
		TBinaryStrictRead: thrift.BoolPtr(true), TBinaryStrictWrite: thrift.BoolPtr(true),
	}
	result := &dialed{transport: "framed", protocol: "binary"}
	var conns []*thriftConnection
	result.close = func() {
		for _, conn := range conns {
			if conn.client != nil {
				conn.transport.Close()
			}
		}
	}
	request := &echothrift.EchoRequest{Message: message}
	for i := 0; i < connections; i++ {
		conn := &thriftConnection{target: target, conf: conf}
		if err := conn.open(); err != nil {
			result.close()
			return nil, err
		}
		conns = append(conns, conn)
		result.echoers = append(result.echoers, func(ctx context.Context) (string, error) { return conn.echo(ctx, request) })
	}
	result.kind = func(err error) string {
		var transport thrift.TTransportException
		var application thrift.TApplicationException
		var protocol thrift.TProtocolException
		switch {
		case errors.Is(err, errWrongReply):
			return "wrongReply"
		case errors.As(err, &transport):
			switch transport.TypeId() {
			case thrift.TIMED_OUT:
				return "deadlineExceeded"
			case thrift.END_OF_FILE:
				return "connectionClosed"
			}
			return "transport"
		case errors.As(err, &application):
			return "application"
		case errors.As(err, &protocol):
			return "protocol"
		}
		return "other"
	}
	return result, nil
}

// HTTP: POST /echo with JSON over HTTP/1.1 keep-alive, one net/http Transport holding at
// most `connections` connections (a call waits for a free one).
type echoMessage struct {
	Message string `json:"message"`
}

type httpStatusError struct {
	code int
	body string
}

func (e httpStatusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.code, e.body) }

func dialHTTP(target string, connections int, message string, timeout time.Duration) (*dialed, error) {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxConnsPerHost:     connections,
		MaxIdleConns:        connections,
		MaxIdleConnsPerHost: connections,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	client := &http.Client{Transport: transport, Timeout: timeout}
	body, err := json.Marshal(echoMessage{Message: message})
	if err != nil {
		return nil, err
	}
	url := "http://" + target + "/echo"
	call := func(ctx context.Context) (string, error) {
		request, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		request.Header.Set("Content-Type", "application/json")
		response, err := client.Do(request)
		if err != nil {
			return "", err
		}
		defer response.Body.Close()
		data, err := io.ReadAll(response.Body) // read to the end, so the connection is reused
		if err != nil {
			return "", err
		}
		if response.StatusCode != http.StatusOK {
			return "", httpStatusError{response.StatusCode, truncate(string(data))}
		}
		if kind := response.Header.Get("Content-Type"); !strings.HasPrefix(kind, "application/json") {
			return "", fmt.Errorf("%w: Content-Type %q", errWrongReply, kind)
		}
		var reply echoMessage
		if err := json.Unmarshal(data, &reply); err != nil {
			return "", fmt.Errorf("%w: %v", errWrongReply, err)
		}
		return reply.Message, nil
	}
	// One call first, so an unreachable server fails here as with the other protocols.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := call(ctx); err != nil {
		return nil, err
	}
	result := &dialed{transport: "http1.1", protocol: "json", echoers: []echoFunc{call}, close: transport.CloseIdleConnections}
	result.kind = func(err error) string {
		var status httpStatusError
		var netError net.Error
		switch {
		case errors.Is(err, errWrongReply):
			return "wrongReply"
		case errors.As(err, &status):
			return fmt.Sprintf("http%d", status.code)
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netError) && netError.Timeout():
			return "deadlineExceeded"
		}
		return "transport"
	}
	return result, nil
}
