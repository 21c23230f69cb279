extension ConsoleTemplates {
  static let governanceList = """
    {{<layout}}{{$body}}{{#page}}
    <h1>Governance</h1>
    <p class="muted">Each service's rules are its app's <code>governance</code> namespace in the config center: published here, they reach every governed client and server of the service live.</p>
    <table class="grid">
      <thead><tr><th>Service</th><th>Cluster</th><th class="num">Release</th><th>State</th></tr></thead>
      <tbody>
      {{#rows}}<tr><td><a href="{{href}}">{{app}}</a></td><td>{{cluster}}</td><td class="num">{{latest}}</td><td>{{#hasDraft}}<span class="badge warn">draft</span>{{/hasDraft}}</td></tr>
      {{/rows}}
      {{^rows}}<tr><td colspan="4" class="muted">No service has rules yet.</td></tr>{{/rows}}
      </tbody>
    </table>
    <h2>Rules for a service</h2>
    <form method="get" action="/console/governance/new" class="filters">
      <label>Service <input name="app" required placeholder="FeedService"></label>
      <label>Cluster <input name="cluster" value="default" required></label>
      <button type="submit">Open</button>
    </form>
    {{/page}}{{/body}}{{/layout}}
    """

  static let governance = """
    {{<layout}}{{$body}}{{#page}}
    <p class="crumbs"><a href="/console/governance">Governance</a> › {{cluster}} ›</p>
    <h1>Rules of {{app}}</h1>
    {{#current}}<p>In force: <strong>release {{number}}</strong> by {{author}}, {{createdAt}}{{#comment}} — “{{comment}}”{{/comment}} · <a href="{{configLink}}">history and rollback</a></p>{{/current}}
    {{^current}}<p class="muted">No rules published: code defaults apply.</p>{{/current}}
    {{#hasProblems}}<section class="card problems" role="alert">
      <h2>{{problemCount}} problem{{^singleProblem}}s{{/singleProblem}} — nothing was published</h2>
      <ul>{{#problems}}<li><a href="#L{{line}}">line {{line}}, column {{column}}</a>: {{#path}}<code>{{path}}</code>: {{/path}}{{reason}}</li>{{/problems}}</ul>
    </section>{{/hasProblems}}
    {{#checked}}<p class="flash">The rules are valid.</p>{{/checked}}
    <section class="card">
      <h2>Edit (YAML)</h2>
      <form method="post" action="{{action}}">
        <textarea name="content" rows="18" spellcheck="false" aria-label="rules">{{text}}</textarea>
        <label>Comment <input name="comment" maxlength="300" placeholder="why this change"></label>
        <button type="submit" name="intent" value="check">Check</button>
        <button type="submit" name="intent" value="publish" class="primary">Publish</button>
      </form>
    </section>
    {{#hasProblems}}<section>
      <h2>The text, with its problems at their lines</h2>
      <table class="listing">
      {{#lines}}<tr id="L{{number}}"{{#marked}} class="marked"{{/marked}}><td class="num">{{number}}</td><td><code>{{text}}</code>{{#notes}}<div class="note">↑ {{.}}</div>{{/notes}}</td></tr>
      {{/lines}}
      </table>
    </section>{{/hasProblems}}
    {{#hasEffective}}<section>
      <h2>Effective rules{{#checked}} (as checked){{/checked}}</h2>
      <p class="muted">What each method runs with: code defaults, then the service level, then the method's overrides (<code># set</code> marks a value that is not the default).</p>
      <div class="columns">{{#effective}}<div class="card"><h3>{{scope}}</h3><pre class="content">{{explained}}</pre></div>{{/effective}}</div>
    </section>{{/hasEffective}}
    <p class="muted">Breaker states live in each process that runs the rules: its admin endpoint's <code>/debug/snapshot</code>, or <code>weaver debug snapshot HOST:PORT</code>.</p>
    {{/page}}{{/body}}{{/layout}}
    """
}
