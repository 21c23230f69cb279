import Testing
@testable import WeaverCodegen

@Suite struct NamingTests {
  @Test(arguments: [
    ("user_id", "userID"), ("userId", "userID"), ("USER_ID", "userID"), ("UserID", "userID"),
    ("string_thing", "stringThing"), ("i32_thing", "i32Thing"), ("MAX_SIZE", "maxSize"), ("ME2_2", "me2_2"),
    ("ME3_N2", "me3N2"), ("HTTPServer", "httpServer"), ("base_url", "baseURL"), ("host_ids", "hostIDs"),
    ("_private", "private"), ("x", "x"), ("ONE", "one"), ("CustoM2", "custoM2"), ("utf8_text", "utf8Text"),
  ])
  func memberNames(thrift: String, swift: String) {
    #expect(SwiftNaming.lowerCamel(thrift) == swift)
  }

  @Test(arguments: [
    ("user_profile", "UserProfile"), ("Xtruct2", "Xtruct2"), ("xtruct", "Xtruct"), ("NUMBERZ", "Numberz"),
    ("HTTPServerConfig", "HTTPServerConfig"), ("MyEnum2_again", "MyEnum2Again"), ("UserId", "UserID"),
    ("String", "String_"), ("Data", "Data_"), ("Protocol", "Protocol_"), ("Type", "Type_"),
  ])
  func typeNames(thrift: String, swift: String) {
    #expect(SwiftNaming.typeName(thrift) == swift)
  }

  @Test func keywordsAreEscapedOrRenamed() {
    #expect(SwiftNaming.escaped("class") == "`class`")
    #expect(SwiftNaming.escaped("value") == "value")
    #expect(SwiftNaming.memberName("self") == "self_")
    #expect(SwiftNaming.memberName("init") == "init_")
    #expect(SwiftNaming.memberName("Type") == "type")
  }

  @Test func stringLiteralsEscapeEverythingSwiftNeeds() {
    #expect(SwiftNaming.stringLiteral("a\"b\\c\n\t\u{1}é") == #""a\"b\\c\n\t\u{1}é""#)
  }

  @Test func allocatorFallsBackDeterministically() {
    var names = SwiftNameAllocator(reserved: ["taken"])
    #expect(names.claim("taken", fallback: "raw") == "raw")
    #expect(names.claim("raw", fallback: "raw") == "raw_")
    #expect(names.claim("fresh") == "fresh")
  }
}
