/// Rendered customers of one shape by position in their ledger: list items (`GET /customer`'s short
/// shape), so that a warm list page is 50 copies instead of 50 renders, and whole fetch answers, so
/// that fetching a customer again renders nothing (both measured in bench/RESULTS.md). Bounded: past
/// `byteLimit` (items and the pages of slots that hold them), the items cached longest ago are
/// dropped first; an item above an eighth of the bound is not kept. A customer that changes is
/// dropped (`Ledger.replace`), and an item is stored only if no customer changed since it was read
/// (`Ledger.revision`).
///
/// Items are addressed by position in pages of 4,096 slots made on first use and dropped when
/// empty: a lookup is two array reads, no hashing, and no step grows with the ledger. With the
/// page's single lock round trip (`listCustomers`), this took a warm 50-item page from 189k to 139k
/// instructions, where a dictionary keyed by position had been (callgrind, bench/RESULTS.md).
struct RenderedCustomerCache: Sendable {
    static let listItemByteLimit = 8 << 20
    static let fetchAnswerByteLimit = 4 << 20
    let byteLimit: Int
    private static let pageShift = 12
    private static let pageSize = 1 << pageShift

    private struct Page {
        var slots: [[UInt8]?]
        var live = 0
    }

    /// Page index → page; nil until an item on it is cached, and again once it holds none.
    private var pages: [Page?] = []
    /// Positions in the order their items were cached (each once; stale entries are skipped).
    private var order: [Int] = []
    private var orderStart = 0
    private var bytes = 0
    private var live = 0
    private var heldPages = 0
    /// What a page of slots takes, counted against the bound with the items.
    static let pageBytes = pageSize * MemoryLayout<[UInt8]?>.stride

    init(byteLimit: Int) {
        self.byteLimit = byteLimit
    }

    func item(at position: Int) -> [UInt8]? {
        let page = position >> Self.pageShift
        guard page < pages.count else { return nil }
        return pages[page]?.slots[position & (Self.pageSize - 1)]
    }

    mutating func store(_ item: [UInt8], at position: Int) {
        guard item.count <= byteLimit / 8 else {
            forget(position)
            return
        }
        if let old = replace(at: position, with: item) {
            bytes -= old.count
        } else {
            order.append(position)
        }
        bytes += item.count
        while bytes + heldPages * Self.pageBytes > byteLimit, orderStart < order.count {
            let oldest = order[orderStart]
            orderStart += 1
            forget(oldest)
        }
        if order.count - orderStart > 2 * live + 4096 {
            // Items forgotten and cached again left stale entries: keep each live position once.
            var seen = Set<Int>()
            order = order[orderStart...].filter { self.item(at: $0) != nil && seen.insert($0).inserted }
            orderStart = 0
        } else if orderStart > 4096 && orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    /// Drops the item of a customer that changed.
    mutating func forget(_ position: Int) {
        let page = position >> Self.pageShift
        guard page < pages.count, pages[page] != nil else { return }
        if let dropped = replace(at: position, with: nil) { bytes -= dropped.count }
    }

    var byteCount: Int { bytes }
    /// Pages of slots held (each 32 KiB), for tests.
    var pageCount: Int { heldPages }

    /// Puts `item` (or nothing) in the slot and answers what was there.
    private mutating func replace(at position: Int, with item: [UInt8]?) -> [UInt8]? {
        let page = position >> Self.pageShift
        if page >= pages.count {
            guard item != nil else { return nil }
            pages.append(contentsOf: repeatElement(nil, count: page + 1 - pages.count))
        }
        if pages[page] == nil {
            guard item != nil else { return nil }
            pages[page] = Page(slots: Array(repeating: nil, count: Self.pageSize))
            heldPages += 1
        }
        let slot = position & (Self.pageSize - 1)
        let old = pages[page]!.slots[slot]
        pages[page]!.slots[slot] = item
        let change = (item == nil ? 0 : 1) - (old == nil ? 0 : 1)
        live += change
        pages[page]!.live += change
        if pages[page]!.live == 0 {
            pages[page] = nil
            heldPages -= 1
        }
        return old
    }
}
