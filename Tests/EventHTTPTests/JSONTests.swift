import Testing
@testable import JSON

@Suite struct JSONTests {
    @Test func parserKeepsOrderAndNumberText() throws {
        let value = try JSONParser.parse(Array(#"{"b":1.50,"a":[true,null,"x\u00e9\n"],"c":-0e3}"#.utf8))
        #expect(value.jsonBytes == Array(#"{"b":1.50,"a":[true,null,"xé\n"],"c":-0e3}"#.utf8))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":01}", "\"\u{1}\"", "nul", "{\"a\" 1}", "[1] x", "\"\\ud800\""])
    func parserRejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(deep.utf8)) }
    }

    @Test func writerEscapesWhatJSONRequires() {
        var writer = JSONWriter(capacity: 1)
        writer.beginObject()
        writer.key("text")
        writer.string("quote \" backslash \\ newline \n tab \t bell \u{7} é")
        writer.key("n")
        writer.int(-9_007_199_254_740_991)
        writer.key("list")
        writer.beginArray()
        writer.int(0)
        writer.null()
        writer.bool(true)
        writer.endArray()
        writer.endObject()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == #"{"text":"quote \" backslash \\ newline \n tab \t bell \u0007 é","n":-9007199254740991,"list":[0,null,true]}"#)
        #expect((try? JSONParser.parse(writer.bytes)) != nil, "the writer's output parses")
    }
}
