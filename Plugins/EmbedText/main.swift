// Writes one Swift file declaring `let NAME: String` for each NAME=INPUT pair, holding the text of
// INPUT as a raw string literal: embedded files need no Bundle, Foundation or folder beside the binary.
// Usage: embed-text OUTPUT NAME=INPUT [NAME=INPUT ...]
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: embed-text OUTPUT NAME=INPUT [NAME=INPUT ...]\n".utf8))
    exit(2)
}
var source = "// Generated at build time by embed-text; do not edit.\n"
for pair in arguments.dropFirst(2) {
    guard let equals = pair.firstIndex(of: "=") else {
        FileHandle.standardError.write(Data("embed-text: \(pair) is not NAME=INPUT\n".utf8))
        exit(2)
    }
    let name = pair[..<equals], input = String(pair[pair.index(after: equals)...])
    let text = try String(contentsOfFile: input, encoding: .utf8)
    // Enough `#` that neither `"` nor a backslash followed by them occurs in the text.
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    source += """

    /// \((input as NSString).lastPathComponent), embedded.
    let \(name): String = \(hashes)\"\"\"
    \(text)
    \"\"\"\(hashes)

    """
}
try source.write(toFile: arguments[1], atomically: true, encoding: .utf8)

#if FUZZING
// `make fuzz` builds every executable of the package, this tool included, with libFuzzer's runtime,
// which wants this symbol; the tool never fuzzes.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerEntryThatIsNeverCalled(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { 0 }
#endif
