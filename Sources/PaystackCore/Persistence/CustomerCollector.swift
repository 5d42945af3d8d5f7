import JSON
import Platform
import Synchronization


/// Files at least this large are read by two threads (`CustomerCollector.readInTwo`).
let parallelReadingThreshold = 4 << 20

/// The customers of a seed file, decoded record by record, in file order.
struct CustomerCollector {
    let file: String
    let integrations: [Int: Integration]
    private(set) var customers: [Customer] = []
    /// Whether the records give ids; nil before the first. All must, or none.
    private(set) var idsGiven: Bool?

    init(file: String, integrations: [Int: Integration]) {
        self.file = file
        self.integrations = integrations
    }

    mutating func take(_ record: SeedRecord) throws(SeedError) {
        let customer = try record.customer(integrations: integrations)
        let hasID = record.object["id"] != nil
        if let idsGiven, idsGiven != hasID {
            throw record.error(field: "id", "give an id to every customer or to none")
        }
        idsGiven = hasID
        customers.append(customer)
    }

    /// Reads a large file with two threads, with exactly the outcome (customers, or the first error
    /// in file order) of reading it from the start.
    ///
    /// A second thread reads from a guess at an element boundary near the middle: a `{` after `},`.
    /// The guess may be wrong (those bytes can sit inside a string); this thread reads from the start
    /// and takes the second half only if it finds an element starting exactly there, and the second
    /// half read without any error. Otherwise it reads on by itself, so every error it reports comes
    /// from the one sequential reading. Returns whether the second thread's half was taken.
    @discardableResult
    mutating func readInTwo(_ mapped: MappedFile) throws(SeedError) -> Bool {
        let bytes = mapped.bytes
        guard let split = Self.likelyElementStart(in: bytes, from: bytes.count / 2) else {
            try SeedLoader.forEachRecord(file, .file(mapped)) { record throws(SeedError) in try take(record) }
            return false
        }
        let cancelled = Atomic<Bool>(false)
        let second = BackgroundWork { [file, integrations] () -> CustomerCollector? in
            var rest = CustomerCollector(file: file, integrations: integrations)
            var reader = JSONArrayReader(mapped.bytes, elementAt: split)
            var index = 0
            do {
                while let value = try reader.next() {
                    if cancelled.load(ordering: .relaxed) { return nil }
                    try rest.take(try SeedRecord(file: file, index: index, value: value))
                    index += 1
                }
            } catch {
                return nil
            }
            return rest
        }
        defer { cancelled.store(true, ordering: .relaxed) }
        do {
            var reader = try JSONArrayReader(bytes)
            var index = 0
            var awaitingSplit = true
            while let value = try reader.next() {
                try take(try SeedRecord(file: file, index: index, value: value))
                index += 1
                guard awaitingSplit, reader.offset >= split else { continue }
                awaitingSplit = false
                if reader.offset == split, let rest = second.wait(), idsGiven == nil || rest.idsGiven == nil || idsGiven == rest.idsGiven {
                    customers.append(contentsOf: rest.customers)
                    idsGiven = idsGiven ?? rest.idsGiven
                    return true
                }
                cancelled.store(true, ordering: .relaxed)
            }
            return false
        } catch let error as SeedError {
            throw error
        } catch {
            throw SeedError("\(file): not valid JSON (an array of objects expected): \(error)")
        }
    }

    /// The first `{` at or after `start` that follows `}` and `,` (white space between allowed).
    static func likelyElementStart(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        var index = max(start, 1)
        let limit = min(bytes.count, start + (1 << 20))
        while index < limit {
            if bytes[index] == UInt8(ascii: "{") {
                var before = index - 1
                while before > 0, isBlank(bytes[before]) { before -= 1 }
                if bytes[before] == UInt8(ascii: ",") {
                    before -= 1
                    while before > 0, isBlank(bytes[before]) { before -= 1 }
                    if bytes[before] == UInt8(ascii: "}") { return index }
                }
            }
            index += 1
        }
        return nil
    }
}
