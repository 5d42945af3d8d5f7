/// An append-only random-access array kept in fixed-size chunks.
///
/// Why not `[Element]`: an array that outgrows its buffer copies every element into one twice the
/// size, under the ledger's lock: at a million customers that is one stall of tens of milliseconds
/// for every request waiting on that integration. Here appending allocates one chunk at a time, and
/// the outer array only holds chunk references (244 of them at a million). Copies are cheap for the
/// same reason: a copy taken for an export or an admin view shares the chunks, and the ledger's next
/// write copies the one chunk it touches, not the whole array.
public struct ChunkedArray<Element>: RandomAccessCollection {
    /// 4,096 elements per chunk.
    @usableFromInline static var shift: Int { 12 }
    @usableFromInline static var chunkSize: Int { 1 << shift }

    @usableFromInline var chunks: [[Element]] = []
    public private(set) var count = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Out of range traps as an array's subscript does (the chunk arrays check their bounds).
    @inlinable
    public subscript(position: Int) -> Element {
        get { chunks[position >> Self.shift][position & (Self.chunkSize - 1)] }
        set { chunks[position >> Self.shift][position & (Self.chunkSize - 1)] = newValue }
    }

    public mutating func append(_ element: Element) {
        if count & (Self.chunkSize - 1) == 0 {
            var chunk: [Element] = []
            // A small first chunk keeps an empty integration small; full chunks after that.
            chunk.reserveCapacity(count == 0 ? 16 : Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(element)
        count += 1
    }

    /// Room for `count` elements' chunk references (the chunks are still allocated one at a time).
    public mutating func reserveCapacity(_ count: Int) {
        chunks.reserveCapacity((count + Self.chunkSize - 1) >> Self.shift)
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}

extension ChunkedArray: Equatable where Element: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }
}
