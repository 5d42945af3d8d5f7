import EventHTTP

/// The customers of one integration in one domain.
///
/// Customers are kept in id order, which is also creation order (ids increase and `createdAt` never
/// goes back), so a page of any list is a slice found by index or binary search: O(perPage + log n)
/// whatever the size. Codes, emails (case-insensitively) and authorization codes are indexed.
public struct Ledger: Sendable {
    private(set) var customers: [Customer] = []
    private var codeIndex = PositionIndex()
    private var emailIndex = PositionIndex()
    /// Active authorization code → index of its customer.
    private var authorizationOwners: [String: Int] = [:]
    /// Each customer's rendered list item, filled when first listed and dropped when the customer
    /// changes: a warm list page is 50 copies instead of 50 renders.
    private var listItemCache: [[UInt8]?] = []

    var count: Int { customers.count }

    /// Room for `count` customers without regrowing (seed loading knows the sizes up front).
    mutating func reserveCapacity(_ count: Int) {
        customers.reserveCapacity(count)
        listItemCache.reserveCapacity(count)
        codeIndex.reserveCapacity(count)
        emailIndex.reserveCapacity(count)
    }

    func index(ofCode code: String) -> Int? {
        index(ofCode: code, hash: PositionIndex.hash(code: code))
    }

    func index(ofCode code: String, hash: Int) -> Int? {
        codeIndex.position(hash: hash) { customers[$0].customerCode == code }
    }

    func index(ofEmail email: String) -> Int? {
        index(ofEmail: email, hash: PositionIndex.hash(email: email))
    }

    func index(ofEmail email: String, hash: Int) -> Int? {
        emailIndex.position(hash: hash) { customers[$0].email.equalsIgnoringASCIICase(email) }
    }

    func index(ofID id: Int) -> Int? {
        let position = lowerBound { $0.id < id }
        return position < customers.count && customers[position].id == id ? position : nil
    }

    func index(of reference: CustomerReference) -> Int? {
        switch reference {
        case .id(let id): index(ofID: id)
        case .email(let email): index(ofEmail: email)
        case .code(let code): index(ofCode: code)
        }
    }

    func ownerOfAuthorization(_ code: String) -> Int? { authorizationOwners[code] }

    /// Appends a customer whose code and email are new here; its id must exceed every id here and
    /// its `createdAt` must not precede the last.
    mutating func append(_ customer: Customer) {
        let outcome = appendIfNew(customer)
        precondition(outcome == .appended, "append of a customer whose code or email is taken")
    }

    enum AppendOutcome { case appended, duplicateCode, duplicateEmail }

    /// Appends unless the code or the email is taken here.
    mutating func appendIfNew(_ customer: Customer) -> AppendOutcome {
        switch placement(code: customer.customerCode, email: customer.email) {
        case .emailTaken: return .duplicateEmail
        case .codeTaken: return .duplicateCode
        case .free(let keys):
            append(customer, at: keys)
            return .appended
        }
    }

    /// Where a customer with this code and email would go, each key hashed once for both the
    /// check and the append.
    enum Placement {
        case free(Keys)
        /// The index of the customer who has the email.
        case emailTaken(Int)
        case codeTaken
    }

    struct Keys {
        fileprivate let codeHash: Int
        fileprivate let emailHash: Int
    }

    func placement(code: String, email: String) -> Placement {
        placement(code: code, codeHash: PositionIndex.hash(code: code), email: email, emailHash: PositionIndex.hash(email: email))
    }

    /// `placement(code:email:)` with the keys' hashes worked out beforehand (outside a lock).
    func placement(code: String, codeHash: Int, email: String, emailHash: Int) -> Placement {
        if let taken = index(ofEmail: email, hash: emailHash) { return .emailTaken(taken) }
        if index(ofCode: code, hash: codeHash) != nil { return .codeTaken }
        return .free(Keys(codeHash: codeHash, emailHash: emailHash))
    }

    /// Appends a customer at the place `placement` found free for its code and email (nothing may
    /// have been appended in between).
    mutating func append(_ customer: Customer, at keys: Keys) {
        precondition(customers.last.map { $0.id < customer.id } ?? true, "ids must increase")
        let index = customers.count
        codeIndex.insert(hash: keys.codeHash, position: index)
        emailIndex.insert(hash: keys.emailHash, position: index)
        for authorization in customer.authorizations {
            authorizationOwners[authorization.authorizationCode] = index
        }
        customers.append(customer)
        listItemCache.append(nil)
    }

    /// Replaces the customer at `index`; id, code and email stay as they were.
    mutating func replace(at index: Int, with customer: Customer) {
        precondition(customers[index].id == customer.id && customers[index].customerCode == customer.customerCode)
        customers[index] = customer
        listItemCache[index] = nil
    }

    /// The list item of the customer at `index`, rendered by `render` unless cached.
    mutating func listItem(at index: Int, render: (Customer) -> [UInt8]) -> [UInt8] {
        if let cached = listItemCache[index] { return cached }
        let rendered = render(customers[index])
        listItemCache[index] = rendered
        return rendered
    }

    /// Removes an active authorization; false when there is none with that code.
    mutating func deactivateAuthorization(_ code: String) -> Bool {
        guard let owner = authorizationOwners.removeValue(forKey: code) else { return false }
        customers[owner].authorizations.removeAll { $0.authorizationCode == code }
        return true
    }

    /// Replaces the customer with this code, or appends it as new (state-log replay). Returns what
    /// is wrong when it fits neither way.
    mutating func upsert(_ customer: Customer) -> String? {
        if let index = index(ofCode: customer.customerCode) {
            let current = customers[index]
            guard current.id == customer.id else { return "id \(customer.id) differs from the stored \(current.id)" }
            guard current.email.equalsIgnoringASCIICase(customer.email) else { return "its email changed" }
            for card in current.authorizations where !customer.authorizations.contains(where: { $0.authorizationCode == card.authorizationCode }) {
                authorizationOwners.removeValue(forKey: card.authorizationCode)
            }
            for card in customer.authorizations { authorizationOwners[card.authorizationCode] = index }
            customers[index] = customer
            listItemCache[index] = nil
            return nil
        }
        if let last = customers.last, last.id >= customer.id { return "id \(customer.id) is not above the last id \(last.id)" }
        switch appendIfNew(customer) {
        case .appended: return nil
        case .duplicateCode: return "its code is taken"
        case .duplicateEmail: return "its email \(customer.email) is taken"
        }
    }

    var lastCreatedAt: Timestamp? { customers.last?.createdAt }

    /// The index range of customers created within `from...to` (either side open when nil).
    func range(from: Timestamp?, to: Timestamp?) -> Range<Int> {
        let lower = from.map { bound in lowerBound { $0.createdAt < bound } } ?? 0
        let upper = to.map { bound in lowerBound { $0.createdAt <= bound } } ?? customers.count
        return lower..<max(lower, upper)
    }

    /// First index where `isBefore` turns false; `isBefore` must be true for a prefix only.
    func lowerBound(_ isBefore: (Customer) -> Bool) -> Int {
        var low = 0, high = customers.count
        while low < high {
            let middle = (low + high) / 2
            if isBefore(customers[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// How a path or body names a customer: Paystack takes the code or the email (and, in older docs, the id).
public enum CustomerReference: Sendable, Equatable {
    case id(Int)
    case email(String)
    case code(String)

    public init(_ text: String) {
        if !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int(text) {
            self = .id(id)
        } else if text.utf8.contains(UInt8(ascii: "@")) {
            self = .email(text)
        } else {
            self = .code(text)
        }
    }
}
