extension ConsoleTemplates {
  static let audit = """
    {{<layout}}{{$body}}{{#page}}
    <h1>Audit</h1>
    <form method="get" action="/console/audit" class="filters">
      <label>Filter <input name="q" value="{{query}}" placeholder="who, what or target"></label>
      <button type="submit">Filter</button>
    </form>
    <table class="grid">
      <thead><tr><th>When</th><th>Who</th><th>What</th><th>Target</th><th>Detail</th></tr></thead>
      <tbody>
      {{#rows}}<tr><td>{{time}}</td><td>{{actor}}</td><td>{{action}}</td><td><a href="{{href}}">{{target}}</a></td><td>{{detail}}</td></tr>
      {{/rows}}
      {{^rows}}<tr><td colspan="5" class="muted">Nothing recorded{{#query}} matching “{{query}}”{{/query}}.</td></tr>{{/rows}}
      </tbody>
    </table>
    <p class="muted">The newest {{limit}} changes are kept.</p>
    {{/page}}{{/body}}{{/layout}}
    """
}
