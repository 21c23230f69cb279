extension ConsoleTemplates {
  static let configs = """
    {{<layout}}{{$body}}{{#page}}
    <h1>Config</h1>
    <form method="get" action="/console/config" class="filters">
      <label>Filter <input name="q" value="{{query}}" placeholder="app, cluster or namespace"></label>
      <button type="submit">Filter</button>
    </form>
    <table class="grid">
      <thead><tr><th>App</th><th>Cluster</th><th>Namespace</th><th>Format</th><th class="num">Release</th><th>State</th></tr></thead>
      <tbody>
      {{#rows}}<tr><td>{{app}}</td><td>{{cluster}}</td><td><a href="{{href}}">{{namespace}}</a></td><td>{{format}}</td>
        <td class="num">{{latest}}</td><td>{{#hasDraft}}<span class="badge warn">draft</span> {{/hasDraft}}{{#hasGray}}<span class="badge info">gray</span>{{/hasGray}}</td></tr>
      {{/rows}}
      {{^rows}}<tr><td colspan="6" class="muted">No namespace{{#query}} matches “{{query}}”{{/query}}.</td></tr>{{/rows}}
      </tbody>
    </table>
    <h2>New namespace</h2>
    <form method="get" action="/console/config/new" class="filters">
      <label>App <input name="app" required placeholder="FeedService"></label>
      <label>Cluster <input name="cluster" value="default" required></label>
      <label>Namespace <input name="namespace" value="application" required></label>
      <button type="submit">Open</button>
    </form>
    {{/page}}{{/body}}{{/layout}}
    """

  static let namespace = """
    {{<layout}}{{$body}}{{#page}}
    <p class="crumbs"><a href="/console/config">Config</a> › {{app}} › {{cluster}} ›</p>
    <h1>{{namespace}} <small class="muted">{{format}}</small></h1>
    {{#current}}<p>In force: <strong>release {{number}}</strong> by {{author}}, {{createdAt}}{{#comment}} — “{{comment}}”{{/comment}}</p>
    <pre class="content">{{content}}</pre>{{/current}}
    {{^current}}<p class="muted">Nothing published yet.</p>{{/current}}
    {{#gray}}<section class="card gray">
      <h2>Gray release {{number}} <span class="badge info">gray</span></h2>
      <p>For {{rule}} (beside release {{base}}).</p>
      <pre class="content">{{content}}</pre>
      <form method="post" action="{{actions.promote}}" class="inline"><input name="comment" placeholder="comment" maxlength="300"><button type="submit">Promote to everyone</button></form>
      <form method="post" action="{{actions.abandon}}" class="inline"><input name="comment" placeholder="comment" maxlength="300"><button type="submit" class="danger">Abandon</button></form>
    </section>{{/gray}}
    <section class="card">
      <h2>Edit</h2>
      <form method="post" action="{{actions.edit}}">
        {{#formatChoice}}<label>Format <select name="format">{{#formats}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/formats}}</select></label>{{/formatChoice}}
        <label>Content{{#hasDraft}} <small class="badge warn">unpublished draft</small>{{/hasDraft}}
          <textarea name="content" rows="14" spellcheck="false">{{editorText}}</textarea></label>
        <label>Comment <input name="comment" maxlength="300" placeholder="why this change"></label>
        <button type="submit" name="intent" value="save">Save draft</button>
        <button type="submit" name="intent" value="publish" class="primary">Publish</button>
      </form>
    </section>
    {{#hasReleases}}<section class="card">
      <h2>Gray release of the draft</h2>
      <p class="muted">Publishes the saved draft to the clients chosen here only; promote it or abandon it later.</p>
      <form method="post" action="{{actions.gray}}" class="filters">
        <label>IPs <input name="ips" placeholder="10.0.0.7, 10.0.0.8"></label>
        <label>Labels <input name="labels" placeholder="release=canary"></label>
        <label>Percentage <input name="percentage" type="number" min="0" max="100" placeholder="10"></label>
        <label>Comment <input name="comment" maxlength="300"></label>
        <button type="submit">Publish gray</button>
      </form>
    </section>{{/hasReleases}}
    <section>
      <h2>History</h2>
      {{#hasReleases}}<form method="get" action="{{actions.diff}}" class="filters">
        <label>Compare release <select name="from">{{#history}}<option value="{{number}}"{{#isPrevious}} selected{{/isPrevious}}>{{number}}</option>{{/history}}</select></label>
        <label>with <select name="to">{{#history}}<option value="{{number}}"{{#isCurrent}} selected{{/isCurrent}}>{{number}}</option>{{/history}}</select></label>
        <button type="submit">Side by side</button>
      </form>{{/hasReleases}}
      <table class="grid" id="history">
        <thead><tr><th class="num">Release</th><th>Kind</th><th>Author</th><th>Comment</th><th>When</th><th></th></tr></thead>
        <tbody>
        {{#history}}<tr{{#isCurrent}} class="current"{{/isCurrent}}><td class="num">{{number}}</td><td>{{kind}}{{#isCurrent}} <span class="badge ok">in force</span>{{/isCurrent}}</td><td>{{author}}</td><td>{{comment}}</td><td>{{createdAt}}</td>
          <td>{{#canRollBack}}<form method="post" action="{{rollbackAction}}" class="inline"><input type="hidden" name="to" value="{{number}}"><button type="submit" class="small">Roll back to this</button></form>{{/canRollBack}}</td></tr>
        {{/history}}
        {{^history}}<tr><td colspan="6" class="muted">No releases yet.</td></tr>{{/history}}
        </tbody>
      </table>
    </section>
    {{/page}}{{/body}}{{/layout}}
    """

  static let diff = """
    {{<layout}}{{$body}}{{#page}}
    <p class="crumbs"><a href="/console/config">Config</a> › <a href="{{back}}">{{name}}</a> ›</p>
    <h1>Release {{from}} → release {{to}}</h1>
    <p class="muted">{{summary}}</p>
    <table class="diff">
      <thead><tr><th class="num">#</th><th>Release {{from}}</th><th class="num">#</th><th>Release {{to}}</th></tr></thead>
      <tbody>
      {{#rows}}<tr class="{{kind}}"><td class="num">{{leftNumber}}</td><td><code>{{left}}</code></td><td class="num">{{rightNumber}}</td><td><code>{{right}}</code></td></tr>
      {{/rows}}
      </tbody>
    </table>
    {{/page}}{{/body}}{{/layout}}
    """
}
