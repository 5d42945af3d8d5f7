/// Rendered list items (`GET /customer`'s short shape) of recently listed customers, so that a warm
/// list page is 50 copies instead of 50 renders (measured in bench/RESULTS.md). Bounded: past
/// `byteLimit`, the items cached longest ago are dropped first.
struct ListItemCache: Sendable {
    static let byteLimit = 8 << 20

    private var items: [Int: [UInt8]] = [:]
    /// Positions in the order their items were cached (each once; stale entries are skipped).
    private var order: [Int] = []
    private var orderStart = 0
    private var bytes = 0

    func item(at position: Int) -> [UInt8]? { items[position] }

    mutating func store(_ item: [UInt8], at position: Int) {
        if let old = items.updateValue(item, forKey: position) {
            bytes -= old.count
        } else {
            order.append(position)
        }
        bytes += item.count
        while bytes > Self.byteLimit, orderStart < order.count {
            let oldest = order[orderStart]
            orderStart += 1
            if let dropped = items.removeValue(forKey: oldest) { bytes -= dropped.count }
        }
        if order.count - orderStart > 2 * items.count + 4096 {
            // Items forgotten and cached again left stale entries: keep each live position once.
            var seen = Set<Int>()
            order = order[orderStart...].filter { items[$0] != nil && seen.insert($0).inserted }
            orderStart = 0
        } else if orderStart > 4096 && orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    /// Drops the item of a customer that changed.
    mutating func forget(_ position: Int) {
        if let dropped = items.removeValue(forKey: position) { bytes -= dropped.count }
    }

    var byteCount: Int { bytes }
}
