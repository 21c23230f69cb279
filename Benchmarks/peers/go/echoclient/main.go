// gRPC-Go load generator matching `weaver bench thrift`: the same flags (closed loop, or
// constant rate with latency from each call's scheduled start) and the same JSON report
// fields, so the peer table compares like with like.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	"echobench/echo"
)

type latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

type report struct {
	Target        string         `json:"target"`
	Transport     string         `json:"transport"`
	Connections   int            `json:"connections"`
	Concurrency   int            `json:"concurrency"`
	TargetRate    *int           `json:"targetRate,omitempty"`
	PayloadBytes  int            `json:"payloadBytes"`
	Seconds       float64        `json:"seconds"`
	Calls         int            `json:"calls"`
	QPS           float64        `json:"qps"`
	LatencyMicros latency        `json:"latencyMicros"`
	Errors        map[string]int `json:"errors"`
}

func main() {
	target := flag.String("target", "127.0.0.1:50051", "server host:port")
	connections := flag.Int("connections", 2, "HTTP/2 connections")
	concurrency := flag.Int("concurrency", 32, "calls in flight")
	rate := flag.Int("rate", 0, "calls per second; 0 for a closed loop")
	duration := flag.Duration("duration", 10*time.Second, "measured time")
	warmup := flag.Duration("warmup", time.Second, "time before measuring")
	payload := flag.Int("payload", 128, "message bytes")
	flag.Parse()

	conns := make([]*grpc.ClientConn, *connections)
	for i := range conns {
		conn, err := grpc.Dial(*target, grpc.WithInsecure(), grpc.WithBlock())
		if err != nil {
			log.Fatal(err)
		}
		defer conn.Close()
		conns[i] = conn
	}
	request := &echo.EchoRequest{Message: strings.Repeat("x", *payload)}
	start := time.Now()
	measureFrom := start.Add(*warmup)
	end := measureFrom.Add(*duration)
	var interval time.Duration
	if *rate > 0 {
		interval = time.Second / time.Duration(*rate)
	}
	var nextSlot int64 = -1
	var mutex sync.Mutex
	var samples []int64
	errors := map[string]int{}
	var wait sync.WaitGroup
	for worker := 0; worker < *concurrency; worker++ {
		wait.Add(1)
		go func(worker int) {
			defer wait.Done()
			client := echo.NewEchoClient(conns[worker%len(conns)])
			local := make([]int64, 0, 4096)
			localErrors := map[string]int{}
			for {
				var started time.Time
				if interval > 0 {
					slot := atomic.AddInt64(&nextSlot, 1)
					started = start.Add(time.Duration(slot) * interval)
					if !started.Before(end) || time.Now().After(end.Add(5*time.Second)) {
						break
					}
					if wait := time.Until(started); wait > 50*time.Microsecond {
						time.Sleep(wait)
					}
				} else {
					started = time.Now()
					if !started.Before(end) {
						break
					}
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				reply, err := client.Echo(ctx, request)
				cancel()
				finished := time.Now()
				if started.Before(measureFrom) || (interval == 0 && finished.After(end)) {
					continue
				}
				if err != nil {
					localErrors[status.Code(err).String()]++
				} else if len(reply.Message) != *payload {
					localErrors["wrongReply"]++
				} else {
					local = append(local, finished.Sub(started).Microseconds())
				}
			}
			mutex.Lock()
			samples = append(samples, local...)
			for kind, count := range localErrors {
				errors[kind] += count
			}
			mutex.Unlock()
		}(worker)
	}
	wait.Wait()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	percentile := func(p float64) float64 {
		if len(samples) == 0 {
			return 0
		}
		index := int(p / 100 * float64(len(samples)))
		if index >= len(samples) {
			index = len(samples) - 1
		}
		return float64(samples[index])
	}
	var sum int64
	for _, value := range samples {
		sum += value
	}
	out := report{
		Target: *target, Transport: "grpc", Connections: *connections, Concurrency: *concurrency,
		PayloadBytes: *payload, Seconds: duration.Seconds(), Calls: len(samples),
		QPS: float64(len(samples)) / duration.Seconds(), Errors: errors,
	}
	if *rate > 0 {
		out.TargetRate = rate
	}
	if len(samples) > 0 {
		out.LatencyMicros = latency{
			P50: percentile(50), P90: percentile(90), P99: percentile(99), P999: percentile(99.9),
			Max: float64(samples[len(samples)-1]), Mean: float64(sum) / float64(len(samples)),
		}
	}
	encoded, _ := json.Marshal(out)
	fmt.Println(string(encoded))
}
