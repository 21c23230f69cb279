extension ConsoleTemplates {
  static let layout = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · CloudWeaver console</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/console/assets/console.css">
    <script src="/console/assets/console.js" defer></script>
    </head>
    <body{{#live}} data-live="1"{{/live}}{{#refreshSeconds}} data-refresh="{{refreshSeconds}}"{{/refreshSeconds}}>
    <header class="top">
      <a class="brand" href="/console/services">CloudWeaver</a>
      <nav>{{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
      <span class="who">{{#user}}<span class="user">{{user}}</span>
        <form method="post" action="/console/logout" class="inline"><button type="submit" class="link">Sign out</button></form>{{/user}}{{^user}}<a href="/console/login">Sign in</a>{{/user}}</span>
    </header>
    <main id="main">
    {{#flash}}<p class="flash" role="status">{{flash}}</p>{{/flash}}
    {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
    {{$body}}{{/body}}
    </main>
    </body>
    </html>
    """

  static let login = """
    {{<layout}}{{$body}}{{#page}}
    <h1>Sign in</h1>
    <form method="post" action="/console/login" class="card narrow">
      <input type="hidden" name="next" value="{{next}}">
      <label>Your name <small>(recorded in the audit log with each change)</small>
        <input name="name" required maxlength="64" autocomplete="username" value="{{name}}"></label>
      {{#tokensRequired}}<label>Token <small>(one of the server's <code>--token</code>s)</small>
        <input name="token" type="password" required autocomplete="current-password"></label>{{/tokensRequired}}
      {{^tokensRequired}}<p class="muted">This server has no tokens: anyone may change things. Signing in puts your name on your changes.</p>{{/tokensRequired}}
      <button type="submit">Sign in</button>
    </form>
    {{/page}}{{/body}}{{/layout}}
    """

  static let error = """
    {{<layout}}{{$body}}{{#page}}
    <h1>{{status}}</h1>
    <p><a href="/console/services">Back to the services</a></p>
    {{/page}}{{/body}}{{/layout}}
    """
}
