import Testing
@testable import WeaverThriftIDL

@Test func scratchApacheCorpus() throws {
  let dir = "/tmp/debs/thrift-0.17.0/test"
  let files = ["AnnotationTest","BrokenConstants","ConstantsDemo","DebugProtoTest","DenseLinkingTest","DocTest","DoubleConstantsTest","EnumContainersTest","EnumTest","FullCamelTest","Identifiers","Include","Int64Test","JsDeepConstructorTest","ManyOptionals","ManyTypedefs","NameConflictTest","OptionalRequiredTest","Recursive","ReuseObjects","Service","SmallTest","SpecificNameTest","StressTest","ThriftTest","TypedefTest","Types","UnsafeTypes","VoidMethExceptionsTest"]
  for f in files {
    do {
      let p = try ThriftIDLLoader(includePaths: [dir]).load("\(dir)/\(f).thrift")
      print("OK \(f) defs=\(p.root.definitions.count) warnings=\(p.warnings.count)")
    } catch {
      print("FAIL \(f): \(error)")
    }
  }
}
