import Platform
import Synchronization

/// Source of `Ledger.revision`s: unique across every ledger of the process.
private let ledgerRevisions = Atomic<Int>(0)

/// The customers of one integration in one domain.
///
/// Customers are kept in id order, which is creation order. Codes, emails (case-insensitively) and
/// authorization codes are indexed. `createdAt` follows the sandbox clock, which can be set back:
/// while every customer is stamped no earlier than the one before it (`createdAtIsMonotonic`), the
/// customers of a `from`/`to` range are a slice found by binary search, O(log n); once the clock has
/// gone back they are found by a scan, O(n).
public struct Ledger: Sendable {
    public private(set) var customers = ChunkedArray<Customer>()
    private var codeIndex = PositionIndex()
    private var emailIndex = PositionIndex()
    /// Active authorization code → position of its customer.
    private var authorizationOwners: [String: Int] = [:]
    /// Whether `createdAt` never decreases in id order.
    public private(set) var createdAtIsMonotonic = true
    /// Rendered list items and fetch answers of recently read customers (bounded; see
    /// `RenderedCustomerCache`).
    var listItems = RenderedCustomerCache(byteLimit: RenderedCustomerCache.listItemByteLimit)
    var fetchAnswers = RenderedCustomerCache(byteLimit: RenderedCustomerCache.fetchAnswerByteLimit)
    /// Changes whenever a customer here is replaced, to a value no ledger had before: an item
    /// rendered from a customer read at one revision is cached only if the ledger is still at it.
    /// (Comparing the customers would not do: Swift's String equality is canonical, so a name
    /// changed from a precomposed "é" to "e" + U+0301 compares equal, yet renders other bytes.)
    public private(set) var revision = Ledger.newRevision()

    private static func newRevision() -> Int { ledgerRevisions.wrappingAdd(1, ordering: .relaxed).newValue }

    public init() {}

    public var count: Int { customers.count }

    /// Room for `count` customers without regrowing (seed loading knows the sizes up front).
    mutating func reserveCapacity(_ count: Int) {
        customers.reserveCapacity(count)
        codeIndex.reserveCapacity(count)
        emailIndex.reserveCapacity(count)
    }

    // MARK: Lookups

    func index(ofCode code: String, hash: Int? = nil) -> Int? {
        codeIndex.position(hash: hash ?? PositionIndex.hash(code: code)) { customers[$0].customerCode == code }
    }

    func index(ofEmail email: String, hash: Int? = nil) -> Int? {
        emailIndex.position(hash: hash ?? PositionIndex.hash(email: email)) { customers[$0].email.equalsIgnoringASCIICase(email) }
    }

    func index(ofID id: Int) -> Int? {
        let position = lowerBound { $0.id < id }
        return position < customers.count && customers[position].id == id ? position : nil
    }

    public func index(of reference: CustomerReference) -> Int? {
        switch reference {
        case .id(let id): index(ofID: id)
        case .email(let email): index(ofEmail: email)
        case .code(let code): index(ofCode: code)
        }
    }

    func ownerOfAuthorization(_ code: String) -> Int? { authorizationOwners[code] }

    // MARK: Appending

    /// Where a customer with this code and email would go, each key hashed once for both the
    /// check and the append.
    enum Placement {
        case free(Keys)
        /// The position of the customer who has the email.
        case emailTaken(Int)
        case codeTaken
    }

    struct Keys {
        fileprivate let codeHash: Int
        fileprivate let emailHash: Int
    }

    /// `codeHash` and `emailHash` may be worked out beforehand, outside a lock.
    func placement(
        code: String, codeHash: Int? = nil, email: String, emailHash: Int? = nil
    ) -> Placement {
        let codeHash = codeHash ?? PositionIndex.hash(code: code)
        let emailHash = emailHash ?? PositionIndex.hash(email: email)
        if let taken = index(ofEmail: email, hash: emailHash) { return .emailTaken(taken) }
        if index(ofCode: code, hash: codeHash) != nil { return .codeTaken }
        return .free(Keys(codeHash: codeHash, emailHash: emailHash))
    }

    enum AppendOutcome { case appended, duplicateCode, duplicateEmail }

    /// Appends unless the code or the email is taken here; the id must exceed every id here.
    mutating func appendIfNew(_ customer: Customer) -> AppendOutcome {
        switch placement(code: customer.customerCode, email: customer.email) {
        case .emailTaken: return .duplicateEmail
        case .codeTaken: return .duplicateCode
        case .free(let keys):
            append(customer, at: keys)
            return .appended
        }
    }

    /// Appends a customer at the place `placement` found free for its code and email (nothing may
    /// have been appended in between).
    mutating func append(_ customer: Customer, at keys: Keys) {
        precondition(customers.last.map { $0.id < customer.id } ?? true, "ids must increase")
        let position = customers.count
        if let last = customers.last, customer.createdAt < last.createdAt { createdAtIsMonotonic = false }
        codeIndex.insert(hash: keys.codeHash, position: position)
        emailIndex.insert(hash: keys.emailHash, position: position)
        for authorization in customer.authorizations {
            authorizationOwners[authorization.authorizationCode] = position
        }
        customers.append(customer)
    }

    // MARK: Changing

    /// Replaces the customer at `position`; id, code and email stay as they were. Its cards may change.
    mutating func replace(at position: Int, with customer: Customer) {
        let current = customers[position]
        precondition(current.id == customer.id && current.customerCode == customer.customerCode)
        for card in current.authorizations where !customer.authorizations.contains(where: { $0.authorizationCode == card.authorizationCode }) {
            authorizationOwners.removeValue(forKey: card.authorizationCode)
        }
        for card in customer.authorizations { authorizationOwners[card.authorizationCode] = position }
        customers[position] = customer
        revision = Ledger.newRevision()
        listItems.forget(position)
        fetchAnswers.forget(position)
    }

    /// Replaces the customer with this code, or appends it as new (state-log replay). Returns what
    /// is wrong when it fits neither way.
    mutating func upsert(_ customer: Customer) -> String? {
        if let position = index(ofCode: customer.customerCode) {
            let current = customers[position]
            guard current.id == customer.id else { return "id \(customer.id) differs from the stored \(current.id)" }
            guard current.email.equalsIgnoringASCIICase(customer.email) else { return "its email changed" }
            replace(at: position, with: customer)
            return nil
        }
        if let last = customers.last, last.id >= customer.id { return "id \(customer.id) is not above the last id \(last.id)" }
        switch appendIfNew(customer) {
        case .appended: return nil
        case .duplicateCode: return "its code is taken"
        case .duplicateEmail: return "its email \(customer.email) is taken"
        }
    }

    // MARK: Ranges

    /// The positions of the customers created within `from...to` (either side open when nil), in id order.
    func selection(from: Timestamp?, to: Timestamp?) -> Selection {
        if from == nil && to == nil { return .range(0..<customers.count) }
        guard createdAtIsMonotonic else {
            // The clock went back at some point: no order to search by.
            return .positions(customers.indices.filter { index in
                let created = customers[index].createdAt
                return (from.map { created >= $0 } ?? true) && (to.map { created <= $0 } ?? true)
            })
        }
        let lower = from.map { bound in lowerBound { $0.createdAt < bound } } ?? 0
        let upper = to.map { bound in lowerBound { $0.createdAt <= bound } } ?? customers.count
        return .range(lower..<max(lower, upper))
    }

    /// First position where `isBefore` turns false; `isBefore` must be true for a prefix only.
    func lowerBound(_ isBefore: (Customer) -> Bool) -> Int {
        var low = 0, high = customers.count
        while low < high {
            let middle = (low + high) / 2
            if isBefore(customers[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Positions of a ledger's customers, in id order: a slice, or (after the clock went back) a list.
enum Selection {
    case range(Range<Int>)
    case positions([Int])

    var count: Int {
        switch self {
        case .range(let range): range.count
        case .positions(let positions): positions.count
        }
    }

    subscript(offset: Int) -> Int {
        switch self {
        case .range(let range): range.lowerBound + offset
        case .positions(let positions): positions[offset]
        }
    }

    /// The first offset whose customer's id is not below `id` (ids increase with the offset).
    func firstOffset(withIDAtLeast id: Int, in ledger: Ledger) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if ledger.customers[self[middle]].id < id { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
