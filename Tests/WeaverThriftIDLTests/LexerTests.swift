import Testing
@testable import WeaverThriftIDL

@Suite struct LexerTests {
  func kinds(_ text: String) throws -> [TokenKind] {
    var lexer = Lexer(text: text, file: "t.thrift")
    return try lexer.tokenize().map(\.kind)
  }

  @Test func numbers() throws {
    #expect(try kinds("1 -2 +3 0x1F -0x10 1.5 -2.5e3 1e10 .5 true false") == [
      .intConstant(1), .intConstant(-2), .intConstant(3), .intConstant(31), .intConstant(-16),
      .doubleConstant(1.5), .doubleConstant(-2500), .doubleConstant(1e10), .doubleConstant(0.5),
      .intConstant(1), .intConstant(0), .endOfFile,
    ])
    #expect(try kinds("9223372036854775807 -9223372036854775808") == [.intConstant(.max), .intConstant(.min), .endOfFile])
    #expect(throws: ThriftIDLError.self) { try kinds("9223372036854775808") }
  }

  @Test func identifiersKeywordsAndSymbols() throws {
    #expect(try kinds("shared.Type e10 struct i8 byte uuid ( ) { } < > [ ] : ; , = * &") == [
      .identifier("shared.Type"), .identifier("e10"), .keyword(.struct), .keyword(.i8), .keyword(.byte), .keyword(.uuid),
      .symbol(UInt8(ascii: "(")), .symbol(UInt8(ascii: ")")), .symbol(UInt8(ascii: "{")), .symbol(UInt8(ascii: "}")),
      .symbol(UInt8(ascii: "<")), .symbol(UInt8(ascii: ">")), .symbol(UInt8(ascii: "[")), .symbol(UInt8(ascii: "]")),
      .symbol(UInt8(ascii: ":")), .symbol(UInt8(ascii: ";")), .symbol(UInt8(ascii: ",")), .symbol(UInt8(ascii: "=")),
      .symbol(UInt8(ascii: "*")), .symbol(UInt8(ascii: "&")), .endOfFile,
    ])
  }

  @Test func literalsAndEscapes() throws {
    #expect(try kinds(#""a\"b\n\t\\" 'it\'s' "single ' inside""#) == [
      .literal("a\"b\n\t\\"), .literal("it's"), .literal("single ' inside"), .endOfFile,
    ])
    #expect(throws: ThriftIDLError.self) { try kinds(#""bad \q""#) }
    #expect(throws: ThriftIDLError.self) { try kinds("\"unterminated\nline\"") }
  }

  @Test func commentsAndDocComments() throws {
    var lexer = Lexer(text: """
      // line comment
      # shell comment
      /* block */ /**/
      /**
       * The answer.
       *   Indented.
       */
      const
      """, file: "t.thrift")
    let tokens = try lexer.tokenize()
    #expect(tokens.map(\.kind) == [.keyword(.const), .endOfFile])
    #expect(tokens[0].doc == "The answer.\n  Indented.")
    #expect(tokens[0].location == ThriftSourceLocation(file: "t.thrift", line: 8, column: 1))
    #expect(throws: ThriftIDLError.self) { try kinds("/* never ends") }
  }

  @Test func locationsAreLineAndColumn() throws {
    var lexer = Lexer(text: "struct\n  Foo {", file: "x.thrift")
    let tokens = try lexer.tokenize()
    #expect(tokens.map(\.location.description) == ["x.thrift:1:1", "x.thrift:2:3", "x.thrift:2:7", "x.thrift:2:8"])
  }

  @Test func removedAndDeprecatedWords() throws {
    #expect(throws: ThriftIDLError.self) { try kinds("slist") }
    #expect(throws: ThriftIDLError.self) { try kinds("java_package a") }
    var lexer = Lexer(text: "async", file: "t.thrift")
    #expect(try lexer.tokenize().first?.kind == .keyword(.oneway))
    #expect(lexer.warnings.count == 1)
  }
}
