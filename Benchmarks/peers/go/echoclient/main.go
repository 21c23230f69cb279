// Echo load generator matching `weaver bench thrift|grpc|http`: the same flags (closed loop,
// or constant rate with latency from each call's scheduled start) and the same JSON report
// fields, so the peer and protocol tables compare like with like. -protocol picks what it
// speaks (protocols.go): gRPC (echo.Echo/Echo of echo.proto, grpc-go), Thrift (EchoService
// of Echo.thrift over Framed + strict binary, Apache Thrift's Go library) or HTTP/1.1
// (POST /echo with JSON, net/http keep-alive). Every reply must carry the message sent.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
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
	Target        string            `json:"target"`
	Transport     string            `json:"transport"`
	Protocol      string            `json:"protocol"`
	Connections   int               `json:"connections"`
	Concurrency   int               `json:"concurrency"`
	TargetRate    *int              `json:"targetRate,omitempty"`
	PayloadBytes  int               `json:"payloadBytes"`
	Seconds       float64           `json:"seconds"`
	Calls         int               `json:"calls"`
	QPS           float64           `json:"qps"`
	LatencyMicros latency           `json:"latencyMicros"`
	Errors        map[string]int    `json:"errors"`
	ErrorExamples map[string]string `json:"errorExamples,omitempty"`
}

// message is the payload: letters in turn rather than one repeated byte, so an echo that
// returns anything but what it was sent shows.
func message(bytes int) string {
	letters := make([]byte, bytes)
	for i := range letters {
		letters[i] = byte('a' + i%26)
	}
	return string(letters)
}

func main() {
	protocol := flag.String("protocol", "grpc", "grpc, thrift (Framed + binary) or http (HTTP/1.1 + JSON)")
	target := flag.String("target", "127.0.0.1:50051", "server host:port")
	connections := flag.Int("connections", 2, "connections (HTTP/2 for gRPC, one call at a time for Thrift and HTTP/1.1)")
	concurrency := flag.Int("concurrency", 32, "calls in flight")
	rate := flag.Int("rate", 0, "calls per second; 0 for a closed loop")
	duration := flag.Duration("duration", 10*time.Second, "measured time")
	warmup := flag.Duration("warmup", time.Second, "time before measuring")
	payload := flag.Int("payload", 128, "message bytes")
	timeout := flag.Duration("timeout", 5*time.Second, "per-call deadline")
	flag.Parse()
	if *connections < 1 || *concurrency < 1 {
		log.Fatal("-connections and -concurrency must be at least 1")
	}

	sent := message(*payload)
	dialed, err := dial(*protocol, *target, *connections, sent, *timeout)
	if err != nil {
		log.Fatalf("cannot connect to %s over %s: %v", *target, *protocol, err)
	}
	defer dialed.close()
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
	examples := map[string]string{}
	var wait sync.WaitGroup
	for worker := 0; worker < *concurrency; worker++ {
		wait.Add(1)
		go func(worker int) {
			defer wait.Done()
			echo := dialed.echoers[worker%len(dialed.echoers)]
			local := make([]int64, 0, 4096)
			localErrors := map[string]int{}
			localExamples := map[string]string{}
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
				ctx, cancel := context.WithTimeout(context.Background(), *timeout)
				reply, err := echo(ctx)
				cancel()
				finished := time.Now()
				if started.Before(measureFrom) || (interval == 0 && finished.After(end)) {
					continue
				}
				if err == nil && reply != sent {
					err = fmt.Errorf("%w: sent %d bytes, got %q", errWrongReply, len(sent), truncate(reply))
				}
				if err != nil {
					kind := dialed.kind(err)
					localErrors[kind]++
					if _, seen := localExamples[kind]; !seen {
						localExamples[kind] = truncate(err.Error())
					}
				} else {
					local = append(local, finished.Sub(started).Microseconds())
				}
			}
			mutex.Lock()
			samples = append(samples, local...)
			for kind, count := range localErrors {
				errors[kind] += count
			}
			for kind, example := range localExamples {
				if _, seen := examples[kind]; !seen {
					examples[kind] = example
				}
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
		Target: *target, Transport: dialed.transport, Protocol: dialed.protocol, Connections: *connections,
		Concurrency: *concurrency, PayloadBytes: *payload, Seconds: duration.Seconds(), Calls: len(samples),
		QPS: float64(len(samples)) / duration.Seconds(), Errors: errors,
	}
	if len(examples) > 0 {
		out.ErrorExamples = examples
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

func truncate(text string) string {
	if len(text) > 200 {
		return text[:200] + "…"
	}
	return text
}
