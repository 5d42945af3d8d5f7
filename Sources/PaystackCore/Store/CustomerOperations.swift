import JSON

/// Fields a create sets; nil means not given.
public struct CustomerDraft: Sendable {
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var metadata: JSONObject?

    public init(email: String, firstName: String? = nil, lastName: String? = nil, phone: String? = nil, metadata: JSONObject? = nil) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.metadata = metadata
    }
}

/// Fields an update replaces; nil means left as it is.
public struct CustomerChanges: Sendable {
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var metadata: JSONObject?

    public init(firstName: String? = nil, lastName: String? = nil, phone: String? = nil, metadata: JSONObject? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.metadata = metadata
    }
}

/// One page of a list, newest first, each customer already rendered as a list item.
public struct CustomerPage: Sendable {
    public var items: [[UInt8]]
    /// Customers matching the filters, in all pages.
    public var total: Int
    /// Cursor mode: ids to continue from, nil where there is nothing more that way.
    public var nextID: Int?
    public var previousID: Int?
}

public enum PageRequest: Sendable, Equatable {
    case offset(page: Int, perPage: Int)
    /// `after`: older than this id (`next`); `before`: newer than this id (`previous`).
    case cursor(after: Int?, before: Int?, perPage: Int)
}

private let codeAlphabet: StaticString = "abcdefghijklmnopqrstuvwxyz0123456789"

extension Account {
    /// `CUS_` + 15 of `[a-z0-9]`.
    func newCustomerCode() -> String {
        store.random.string(prefix: "CUS_", count: 15, from: codeAlphabet)
    }

    /// Creates a customer, or returns the one that has this email already (Paystack answers
    /// `Customer created` with the existing record, unchanged). The check and the insert share one
    /// critical section, so simultaneous creates of one email yield one customer.
    public func createCustomer(_ draft: CustomerDraft) throws(StoreError) -> (customer: Customer, created: Bool) {
        let integrationID = integration.id
        let domain = self.domain
        let store = self.store
        let now = store.clock.now()
        // Drawn and hashed before taking the lock, which is held only for the lookups and the append.
        var code = newCustomerCode()
        var codeHash = PositionIndex.hash(code: code)
        let emailHash = PositionIndex.hash(email: draft.email)
        // The draft's fields as locals: read from the draft inside the closure, each optional string
        // was copied through the runtime's generic Optional operations (~100 instructions each).
        let (email, firstName, lastName, phone) = (draft.email, draft.firstName, draft.lastName, draft.phone)
        let metadata = draft.metadata
        let result = try write { (ledger, other) throws(StoreError) -> (customer: Customer, created: Bool) in
            while true {
                switch ledger.placement(code: code, codeHash: codeHash, email: email, emailHash: emailHash) {
                case .emailTaken(let existing):
                    return (ledger.customers[existing], false)
                case .free(let keys) where other.index(ofCode: code, hash: codeHash) == nil:
                    let customer = Customer(
                        id: store.allocateID(), integration: integrationID, domain: domain, customerCode: code,
                        email: email, firstName: firstName, lastName: lastName, phone: phone,
                        metadata: metadata, createdAt: now, updatedAt: now)
                    try store.commit(StateCodec.customerRecord(customer))
                    ledger.append(customer, at: keys)
                    return (customer, true)
                case .free, .codeTaken:
                    code = newCustomerCode()
                    codeHash = PositionIndex.hash(code: code)
                }
            }
        }
        if result.created { store.changes.publish(.customer(integration: integrationID, domain: domain, code: code, kind: .created)) }
        return result
    }

    /// The customer `reference` names.
    public func customer(_ reference: CustomerReference) throws(StoreError) -> Customer {
        let domain = self.domain
        return try read { (own, other) throws(StoreError) in
            own.customers[try locate(reference, in: own, other: other, domain: domain)]
        }
    }

    /// The fetch answer of a customer, rendered by `render`: kept per customer until it changes, so
    /// a customer fetched again is one lookup and a copy of the bytes (a fetch rendered ~8,000
    /// instructions of ~58,000; bench/RESULTS.md). Rendered outside the lock, and cached only if no
    /// customer of the ledger changed meanwhile (`Ledger.revision`).
    public func renderedCustomer(_ reference: CustomerReference, render: (Customer) -> [UInt8]) throws(StoreError) -> [UInt8] {
        let domain = self.domain
        enum Found {
            case answer([UInt8])
            case customer(Customer, at: Int, revision: Int)
        }
        let found = try read { (own, other) throws(StoreError) -> Found in
            let position = try locate(reference, in: own, other: other, domain: domain)
            if let answer = own.fetchAnswers.item(at: position) { return .answer(answer) }
            return .customer(own.customers[position], at: position, revision: own.revision)
        }
        switch found {
        case .answer(let answer):
            return answer
        case .customer(let customer, let position, let revision):
            let answer = render(customer)
            books.withLedger(domain) { ledger in
                if ledger.revision == revision { ledger.fetchAnswers.store(answer, at: position) }
            }
            return answer
        }
    }

    /// A page of customers created within `from...to`, newest first, each rendered by `renderItem`.
    ///
    /// The page is worked out under the integration's lock, with the cached items of its first
    /// chunk: a warm page takes the lock once. Items not cached are rendered outside it, a chunk at
    /// a time, so a huge page never holds up writers (and are then cached).
    public func listCustomers(
        from: Timestamp?, to: Timestamp?, page request: PageRequest, renderItem: (Customer) -> [UInt8]
    ) throws(StoreError) -> CustomerPage {
        var items: [[UInt8]] = []
        var missing: [ListPlan.Missing] = []
        let plan = try read { (own, _) throws(StoreError) in
            let plan = ListPlan(own, from: from, to: to, request: request)
            items.reserveCapacity(plan.positions.count)
            plan.gather(chunkStarting: 0, from: own, into: &items, missing: &missing)
            return plan
        }
        var start = 0
        while true {
            if !missing.isEmpty {
                // Rendered outside the lock; kept only if no customer changed meanwhile (`Ledger.revision`).
                for index in missing.indices { missing[index].item = renderItem(missing[index].customer) }
                for entry in missing { items[entry.offset] = entry.item }
                books.withLedger(domain) { ledger in
                    for entry in missing where ledger.revision == entry.revision {
                        ledger.listItems.store(entry.item, at: entry.position)
                    }
                }
                missing.removeAll(keepingCapacity: true)
            }
            start += ListPlan.chunk
            guard start < plan.positions.count else { break }
            books.withLedger(domain) { ledger in plan.gather(chunkStarting: start, from: ledger, into: &items, missing: &missing) }
        }
        return CustomerPage(items: items, total: plan.total, nextID: plan.nextID, previousID: plan.previousID)
    }

    /// Replaces the given fields. After a successful identification the names are locked (contract
    /// decision): given names are then ignored, other fields still apply.
    public func updateCustomer(_ reference: CustomerReference, _ changes: CustomerChanges) throws(StoreError) -> Customer {
        try modifyCustomer(reference) { customer in
            if !customer.identified {
                if let firstName = changes.firstName { customer.firstName = firstName }
                if let lastName = changes.lastName { customer.lastName = lastName }
            }
            if let phone = changes.phone { customer.phone = phone }
            if let metadata = changes.metadata { customer.metadata = metadata }
        }
    }

    public func setRiskAction(_ reference: CustomerReference, _ action: RiskAction) throws(StoreError) -> Customer {
        try modifyCustomer(reference) { $0.riskAction = action }
    }

    /// Finds the customer, applies `change`, stamps `updatedAt` with the clock's now, logs and stores
    /// it, in one critical section.
    public func modifyCustomer(
        _ reference: CustomerReference, stamping: Bool = true, _ change: (inout Customer) throws(StoreError) -> Void
    ) throws(StoreError) -> Customer {
        let now = store.clock.now()
        let domain = self.domain
        let store = self.store
        let changed = try write { (ledger, other) throws(StoreError) in
            let position = try locate(reference, in: ledger, other: other, domain: domain)
            var customer = ledger.customers[position]
            try change(&customer)
            if stamping { customer.updatedAt = now }
            try store.commit(StateCodec.customerRecord(customer))
            ledger.replace(at: position, with: customer)
            return customer
        }
        store.changes.publish(.customer(integration: integration.id, domain: domain, code: changed.customerCode, kind: .updated))
        return changed
    }

    /// Removes an active authorization from its customer (`updatedAt` stays).
    public func deactivateAuthorization(_ code: String) throws(StoreError) {
        let store = self.store
        let owner = try write { (ledger, _) throws(StoreError) -> Customer in
            guard let position = ledger.ownerOfAuthorization(code) else { throw StoreError.authorizationNotFound(code: code) }
            var customer = ledger.customers[position]
            customer.authorizations.removeAll { $0.authorizationCode == code }
            try store.commit(StateCodec.customerRecord(customer))
            ledger.replace(at: position, with: customer)
            return customer
        }
        store.changes.publish(.customer(integration: integration.id, domain: domain, code: owner.customerCode, kind: .updated))
    }
}

/// The positions of a list page, newest first, with the page's totals and cursors.
private struct ListPlan {
    /// Items rendered per critical section.
    static let chunk = 64

    /// A page item not cached: its customer, copied out to be rendered outside the lock.
    struct Missing {
        let offset: Int
        let position: Int
        let customer: Customer
        /// The ledger's revision when the customer was read.
        let revision: Int
        var item: [UInt8] = []
    }

    /// Appends the cached items of the chunk at `start` to `items`; for each position without
    /// one, an empty placeholder, and its customer to `missing`. Only those customers are copied
    /// (a copy retains each of a customer's strings: on a warm page that was most of the work).
    func gather(chunkStarting start: Int, from ledger: Ledger, into items: inout [[UInt8]], missing: inout [Missing]) {
        for offset in start..<min(start + Self.chunk, positions.count) {
            let position = positions[offset]
            if let item = ledger.listItems.item(at: position) {
                items.append(item)
            } else {
                items.append([])
                missing.append(Missing(offset: offset, position: position, customer: ledger.customers[position], revision: ledger.revision))
            }
        }
    }

    var positions: [Int] = []
    var total: Int
    var nextID: Int?
    var previousID: Int?

    init(_ ledger: Ledger, from: Timestamp?, to: Timestamp?, request: PageRequest) {
        let selection = ledger.selection(from: from, to: to)
        total = selection.count
        let top: Int, bottom: Int
        switch request {
        case .offset(let page, let perPage):
            // Newest first: page 1 is the top of the selection.
            let skipped = (page - 1).multipliedReportingOverflow(by: perPage)
            guard !skipped.overflow, skipped.partialValue < selection.count else { return }
            top = selection.count - skipped.partialValue
            bottom = max(0, top - perPage)
        case .cursor(let after, let before, let perPage):
            if let after {
                top = selection.firstOffset(withIDAtLeast: after, in: ledger)
                bottom = max(0, top - perPage)
            } else if let before {
                bottom = selection.firstOffset(withIDAtLeast: before &+ 1, in: ledger)
                top = min(selection.count, bottom + perPage)
            } else {
                top = selection.count
                bottom = max(0, top - perPage)
            }
            if bottom < top {
                nextID = bottom > 0 ? ledger.customers[selection[bottom]].id : nil
                previousID = top < selection.count ? ledger.customers[selection[top - 1]].id : nil
            }
        }
        positions = (bottom..<top).reversed().map { selection[$0] }
    }
}

/// The position of the customer `reference` names in `own`, or why there is none.
private func locate(_ reference: CustomerReference, in own: Ledger, other: Ledger, domain: Domain) throws(StoreError) -> Int {
    if let position = own.index(of: reference) { return position }
    if other.index(of: reference) != nil, reference.isCodeOrEmail {
        throw StoreError.customerInOtherDomain(reference, domain: domain)
    }
    throw StoreError.customerNotFound(reference)
}

extension Account {
    /// Gives the customer a new authorization, made by `make` with a fresh code (`AUTH_` + 10 of
    /// `[a-z0-9]`, unused in this integration). `updatedAt` stays, as for a charge on Paystack.
    public func addAuthorization(
        to reference: CustomerReference, _ make: @escaping (_ code: String, _ customer: Customer) -> Authorization
    ) throws(StoreError) -> Authorization {
        let store = self.store
        let domain = self.domain
        var added: Authorization?
        let customer = try write { (ledger, other) throws(StoreError) -> Customer in
            let position = try locate(reference, in: ledger, other: other, domain: domain)
            var customer = ledger.customers[position]
            var code = "AUTH_" + store.random.string(count: 10, from: codeAlphabet)
            while ledger.ownerOfAuthorization(code) != nil || other.ownerOfAuthorization(code) != nil {
                code = "AUTH_" + store.random.string(count: 10, from: codeAlphabet)
            }
            let authorization = make(code, customer)
            customer.authorizations.append(authorization)
            try store.commit(StateCodec.customerRecord(customer))
            ledger.replace(at: position, with: customer)
            added = authorization
            return customer
        }
        store.changes.publish(.customer(integration: integration.id, domain: domain, code: customer.customerCode, kind: .updated))
        return added!
    }

    /// Removes every authorization of the customer; how many there were.
    public func removeAuthorizations(of reference: CustomerReference) throws(StoreError) -> Int {
        var removed = 0
        _ = try modifyCustomer(reference, stamping: false) { customer in
            removed = customer.authorizations.count
            customer.authorizations.removeAll()
        }
        return removed
    }

    /// The customer `reference` names in this account, if any (no error for none).
    public func findCustomer(_ reference: CustomerReference) -> Customer? {
        try? read { (own, _) throws(StoreError) in own.index(of: reference).map { own.customers[$0] } } ?? nil
    }
}
