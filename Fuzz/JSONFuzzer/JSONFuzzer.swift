// libFuzzer target: the JSON parser, and the writer's round trip of what it parsed.
// `make fuzz` builds it with -sanitize=fuzzer,address -DFUZZING (scripts/fuzz.sh); a plain build
// makes a program that reads the given files as inputs, for replaying a crash under a debugger.
import FuzzSupport
import JSON

@main
enum JSONFuzzer {
    static func main() { runFuzzer(fuzzOne) }
}

func fuzzOne(_ bytes: [UInt8]) {
    guard let value = try? JSONParser.parse(bytes) else { return }
    // What the writer writes parses back to the same value.
    guard let again = try? JSONParser.parse(value.jsonBytes), again == value else {
        fatalError("round trip changed \(value)")
    }
}
