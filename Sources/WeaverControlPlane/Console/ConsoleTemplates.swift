import Mustache

/// The console's Mustache templates, compiled once. Every `{{value}}` is HTML-escaped
/// (quotes too), so what the store holds cannot become markup; no template uses the
/// unescaped `{{{…}}}` form.
enum ConsoleTemplates {
  static let library: MustacheLibrary = {
    var library = MustacheLibrary()
    let templates = [
      ("layout", layout), ("login", login), ("error", error), ("services", services), ("service", service), ("configs", configs),
      ("namespace", namespace), ("diff", diff), ("governanceList", governanceList), ("governance", governance), ("audit", audit),
      ("traffic", traffic), ("requests", requests), ("request", request),
    ]
    for (name, text) in templates {
      // The templates are this file's constants: one that does not parse is a bug the
      // console's tests catch on their first page.
      try! library.register(text, named: name)
    }
    return library
  }()

  /// `page` rendered with the template `name` inside the layout.
  static func render(_ page: ConsolePage, template name: String) -> String {
    library.render(page, withTemplate: name) ?? "template \(name) is missing"
  }
}

/// What every page gives the layout, and the page's own view model under `page`.
struct ConsolePage {
  struct NavItem {
    var label: String
    var href: String
    var current: Bool
  }

  var title: String
  var section: String
  var user: String?
  var flash: String?
  var error: String?
  /// Whether the live script re-reads the page when the control plane changes (pages with
  /// an editor are not, so nothing typed is lost).
  var live: Bool
  /// Pages of figures that change without a store change (traffic, requests) are read again
  /// every so many seconds instead.
  var refreshSeconds: Int?
  var page: Any
  /// Stored, not computed: templates read values by reflection, which sees stored ones only.
  var nav: [NavItem]

  init(
    title: String, section: String, user: String?, flash: String? = nil, error: String? = nil, live: Bool = false, refreshSeconds: Int? = nil,
    page: Any = ()
  ) {
    self.title = title
    self.section = section
    self.user = user
    self.flash = flash
    self.error = error
    self.live = live
    self.refreshSeconds = refreshSeconds
    self.page = page
    self.nav = [
      ("Services", "services"), ("Config", "config"), ("Governance", "governance"), ("Traffic", "traffic"), ("Requests", "requests"),
      ("Audit", "audit"),
    ].map {
      NavItem(label: $0.0, href: "/console/\($0.1)", current: $0.1 == section)
    }
  }
}
