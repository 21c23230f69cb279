extension ConsoleTemplates {
  static let traffic = """
    {{<layout}}{{$body}}{{#page}}
    <h1>Traffic</h1>
    <p class="muted">From the spans services export to this control plane (OTLP/HTTP JSON): figures over the last minute, charts over the last ten, refreshed every 5 s. With a sampler below 1, rates are of the sampled calls.</p>
    <h2>Call graph</h2>
    {{#graph}}<svg class="graph" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}" role="img" aria-label="Which service calls which">
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs>
      {{#edges}}<line class="edge{{#hasErrors}} failing{{/hasErrors}}" x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}" marker-end="url(#arrow)"></line><text class="rate" x="{{labelX}}" y="{{labelY}}">{{label}}</text>{{/edges}}
      {{#nodes}}<a href="{{href}}"><rect class="node" x="{{x}}" y="{{y}}" width="170" height="30" rx="6"></rect><text x="{{textX}}" y="{{textY}}">{{name}}</text></a>{{/nodes}}
    </svg>{{/graph}}
    {{^hasEdges}}<p class="muted">No calls between services yet.</p>{{/hasEdges}}
    <h2>Per service and method</h2>
    <table class="grid">
      <thead><tr><th>Service</th><th>Method</th><th class="num">Calls/s</th><th class="num">Errors</th><th class="num">p99</th><th>Calls/s, 10 min</th><th>Error rate</th><th>p99</th></tr></thead>
      <tbody>
      {{#rows}}<tr><td><a href="{{serviceHref}}">{{service}}</a></td><td>{{method}}</td><td class="num">{{rate}}</td><td class="num">{{errors}}</td><td class="num">{{p99}}</td>
        <td class="chart">{{#rateChart}}<svg class="spark" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}"><polyline points="{{points}}"></polyline></svg><small class="muted"> ≤ {{peak}}</small>{{/rateChart}}</td>
        <td class="chart">{{#errorChart}}<svg class="spark bad" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}"><polyline points="{{points}}"></polyline></svg><small class="muted"> ≤ {{peak}}</small>{{/errorChart}}</td>
        <td class="chart">{{#p99Chart}}<svg class="spark" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}"><polyline points="{{points}}"></polyline></svg><small class="muted"> ≤ {{peak}}</small>{{/p99Chart}}</td></tr>
      {{/rows}}
      {{^rows}}<tr><td colspan="8" class="muted">No calls served in the last ten minutes. Services export here with OTEL_EXPORTER_OTLP_ENDPOINT=http://THIS-HOST:PORT and OTEL_EXPORTER_OTLP_PROTOCOL=http/json.</td></tr>{{/rows}}
      </tbody>
    </table>
    {{/page}}{{/body}}{{/layout}}
    """

  static let requests = """
    {{<layout}}{{$body}}{{#page}}
    <h1>Requests</h1>
    <form method="get" action="/console/requests/find" class="filters">
      <label>Trace id <input name="trace" required pattern="[0-9a-fA-F]{32}" size="36" placeholder="32 hex digits, from a log line or a traceparent header"></label>
      <button type="submit">Open</button>
    </form>
    <h2>Recent</h2>
    <table class="grid">
      <thead><tr><th>Started</th><th>Request</th><th>Entry service</th><th class="num">Duration</th><th class="num">Spans</th><th>Services</th><th></th></tr></thead>
      <tbody>
      {{#rows}}<tr><td>{{time}}</td><td><a href="{{href}}">{{name}}</a></td><td>{{service}}</td><td class="num">{{duration}}</td><td class="num">{{spans}}</td><td>{{services}}</td><td>{{#hasError}}<span class="badge bad">error</span>{{/hasError}}</td></tr>
      {{/rows}}
      {{^rows}}<tr><td colspan="7" class="muted">No trace exported here yet.</td></tr>{{/rows}}
      </tbody>
    </table>
    {{/page}}{{/body}}{{/layout}}
    """

  static let request = """
    {{<layout}}{{$body}}{{#page}}
    <p class="crumbs"><a href="/console/requests">Requests</a> ›</p>
    <h1>Trace <code>{{traceID}}</code></h1>
    <p>{{summary}}</p>
    <p>Path: {{#hops}}<a href="{{href}}">{{name}}</a>{{^last}} → {{/last}}{{/hops}} · <a href="/console/traffic">traffic of these services</a></p>
    <h2>Spans</h2>
    <svg class="waterfall" viewBox="0 0 1000 {{height}}" width="100%" height="{{height}}" preserveAspectRatio="none" role="img" aria-label="The trace's spans over time">
      {{#bars}}<rect class="bar {{kind}}{{#isError}} failing{{/isError}}" x="{{x}}" y="{{y}}" width="{{width}}" height="16" rx="2"><title>{{label}}</title></rect>{{/bars}}
    </svg>
    <table class="grid">
      <thead><tr><th>Service</th><th>Span</th><th>Kind</th><th class="num">Start</th><th class="num">Duration</th><th>Status</th><th>Events and attributes</th></tr></thead>
      <tbody>
      {{#spans}}<tr{{#isError}} class="failing"{{/isError}}><td>{{service}}</td><td>{{indent}}{{name}}</td><td>{{kind}}</td><td class="num">+{{offset}}</td><td class="num">{{duration}}</td><td>{{status}}</td><td><small>{{attributes}}</small></td></tr>
      {{/spans}}
      </tbody>
    </table>
    <h2>Log lines of this trace</h2>
    <table class="grid">
      <thead><tr><th>When</th><th>Service</th><th>Level</th><th>Message</th><th>Fields</th></tr></thead>
      <tbody>
      {{#logs}}<tr><td>{{time}}</td><td>{{service}}</td><td>{{severity}}</td><td>{{body}}</td><td><small>{{attributes}}</small></td></tr>
      {{/logs}}
      {{^logs}}<tr><td colspan="5" class="muted">No log record carries this trace id (services export logs with WeaverOTel's log export on).</td></tr>{{/logs}}
      </tbody>
    </table>
    {{/page}}{{/body}}{{/layout}}
    """
}
