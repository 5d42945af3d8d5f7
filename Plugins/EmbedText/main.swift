// Writes a Swift file declaring `let NAME: String` holding the text of a file, as a raw string literal.
// Usage: embed-text INPUT OUTPUT NAME
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: embed-text INPUT OUTPUT NAME\n".utf8))
    exit(2)
}
let text = try String(contentsOfFile: arguments[1], encoding: .utf8)
// Enough `#` that neither `"` nor a backslash followed by them occurs in the text.
var hashes = "#"
while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
let source = """
// Generated at build time from \((arguments[1] as NSString).lastPathComponent); do not edit.
let \(arguments[3]): String = \(hashes)\"\"\"
\(text)
\"\"\"\(hashes)

"""
try source.write(toFile: arguments[2], atomically: true, encoding: .utf8)
