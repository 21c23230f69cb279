extension ConsoleTemplates {
  static let services = """
    {{<layout}}{{$body}}{{#page}}
    <h1>Services</h1>
    <form method="get" action="/console/services" class="filters">
      <label>Filter <input name="q" value="{{query}}" placeholder="service name"></label>
      <button type="submit">Filter</button>
    </form>
    <table class="grid">
      <thead><tr><th>Service</th><th class="num">Instances</th><th class="num">Healthy</th><th>State</th></tr></thead>
      <tbody>
      {{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td class="num">{{instances}}</td><td class="num">{{healthy}}</td>
        <td>{{#allHealthy}}<span class="badge ok">all healthy</span>{{/allHealthy}}{{^allHealthy}}<span class="badge bad">{{unhealthy}} unhealthy</span>{{/allHealthy}}</td></tr>
      {{/rows}}
      {{^rows}}<tr><td colspan="4" class="muted">No service has instances{{#query}} matching “{{query}}”{{/query}}.</td></tr>{{/rows}}
      </tbody>
    </table>
    {{/page}}{{/body}}{{/layout}}
    """

  static let service = """
    {{<layout}}{{$body}}{{#page}}
    <p class="crumbs"><a href="/console/services">Services</a> ›</p>
    <h1>{{service}}</h1>
    <p class="muted">{{summary}}{{#protectionApplied}} · <strong>protection threshold applies</strong>: healthy-only queries return every instance{{/protectionApplied}}</p>
    <form method="get" action="{{selfLink}}" class="filters">
      <label>Filter <input name="q" value="{{query}}" placeholder="id, address, region, zone, tag, label"></label>
      <label>Health <select name="health">{{#healthOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/healthOptions}}</select></label>
      <button type="submit">Filter</button>
    </form>
    <table class="grid">
      <thead><tr><th>Instance</th><th>Address</th><th>Protocol</th><th>Region / zone</th><th>Release</th><th class="num">Weight</th><th>Health</th><th>Last heartbeat</th><th>Labels</th><th></th></tr></thead>
      <tbody>
      {{#rows}}<tr id="instance-{{anchor}}"{{#isolated}} class="isolated"{{/isolated}}>
        <td>{{id}}</td><td><code>{{address}}</code></td><td>{{protocol}}</td><td>{{placement}}</td><td>{{releaseTag}}</td><td class="num">{{weight}}</td>
        <td>{{#isolated}}<span class="badge warn">isolated</span> {{/isolated}}{{#healthy}}<span class="badge ok">healthy</span>{{/healthy}}{{^healthy}}<span class="badge bad">unhealthy</span>{{/healthy}}</td>
        <td>{{heartbeat}}</td><td>{{labels}}</td>
        <td><form method="post" action="{{isolationAction}}" class="inline">
          <input type="hidden" name="isolated" value="{{^isolated}}true{{/isolated}}{{#isolated}}false{{/isolated}}">
          <button type="submit" class="small">{{^isolated}}Isolate{{/isolated}}{{#isolated}}Re-admit{{/isolated}}</button></form></td></tr>
      {{/rows}}
      {{^rows}}<tr><td colspan="10" class="muted">No instance matches.</td></tr>{{/rows}}
      </tbody>
    </table>
    <p class="muted">An isolated instance stays registered but healthy-only queries (what callers resolve) leave it out until it is re-admitted. Last heartbeat is as this control-plane replica heard it.</p>
    {{/page}}{{/body}}{{/layout}}
    """
}
