// libFuzzer target: seed and state documents (`--seed-data FILE`, `PUT /_sandbox/state`, the state
// file's snapshot). A document that loads must write back to one that loads the same.
import FuzzSupport
import PaystackCore

@main
enum SeedFuzzer {
    static func main() { runFuzzer(fuzzOne) }
}

func fuzzOne(_ bytes: [UInt8]) {
    guard let seed = try? SeedLoader.decode(document: bytes, name: "fuzz") else { return }
    let written = StateCodec.document(seed)
    guard let again = try? SeedLoader.decode(document: written, name: "written") else {
        fatalError("a loaded document wrote back one that does not load: \(String(decoding: written, as: UTF8.self))")
    }
    precondition(StateCodec.document(again) == written, "writing, loading and writing again changed the document")
}
