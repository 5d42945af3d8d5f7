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

    /// The word-at-a-time check (and the parser's run of plain bytes) agrees with the byte rule for every byte value at every position of
    /// texts from 1 to 20 bytes, between UTF-8 continuation and lead bytes (0x80, 0xFF).
    @Test func escapingCheckAgreesWithTheByteRule() {
        func rule(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }
        for length in 1...20 {
            for position in 0..<length {
                for byte in 0...255 {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes[position] = UInt8(byte)
                    if position > 0 { bytes[position - 1] = 0xFF }
                    if position + 1 < length { bytes[position + 1] = 0x80 }
                    let checked = bytes.withUnsafeBufferPointer(JSONWriter.needsEscaping)
                    #expect(checked == rule(bytes), "length \(length), byte \(byte) at \(position)")
                    // Where the plain run ends, and whether it was all ASCII, from each start.
                    for start in Set([0, 1, 7, 8, 9, position, position + 1, length]) where start <= length {
                        let end = bytes[start...].firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } ?? length
                        let run = bytes.withUnsafeBufferPointer { plainRun($0, from: start) }
                        #expect(run.end == end && run.ascii == bytes[start..<end].allSatisfy { $0 < 0x80 },
                                "length \(length), byte \(byte) at \(position), from \(start)")
                        if run.end != end { return }
                    }
                    if checked != rule(bytes) { return }
                }
            }
        }
    }

    /// Integers at the edges, in every member position.
    @Test func writerWritesIntegersAtTheEdges() {
        let values = [0, 1, -1, 9, 10, -10, 99, 100, 463_433, 90_001_000, Int.max, Int.min, Int.min + 1]
        var writer = JSONWriter(capacity: 1)
        writer.beginArray()
        for value in values { writer.int(value) }
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[" + values.map(String.init).joined(separator: ",") + "]")
    }
}
