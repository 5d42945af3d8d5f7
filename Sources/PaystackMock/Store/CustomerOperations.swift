import EventHTTP

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
    public func createCustomer(_ draft: CustomerDraft) throws(PaystackError) -> (customer: Customer, created: Bool) {
        let integrationID = integration.id
        let domain = self.domain
        let store = self.store
        let now = store.clock.now()
        // Drawn before taking the lock; drawn again only on the rare collision.
        var code = newCustomerCode()
        // Hashed before taking the lock, which is held only for the lookups and the append.
        var codeHash = PositionIndex.hash(code: code)
        let emailHash = PositionIndex.hash(email: draft.email)
        var logged = 0
        let result = try books.write(domain) { ledger, other throws(PaystackError) in
            while true {
                switch ledger.placement(code: code, codeHash: codeHash, email: draft.email, emailHash: emailHash) {
                case .emailTaken(let existing):
                    return (ledger.customers[existing], false)
                case .free(let keys) where other.index(ofCode: code, hash: codeHash) == nil:
                    // createdAt never goes back, so lists stay ordered by both id and time.
                    let createdAt = max(now, ledger.lastCreatedAt ?? now)
                    let customer = Customer(
                        id: store.allocateID(), integration: integrationID, domain: domain, customerCode: code,
                        email: draft.email, firstName: draft.firstName, lastName: draft.lastName, phone: draft.phone,
                        metadata: draft.metadata, createdAt: createdAt, updatedAt: createdAt)
                    logged = try store.persist { StateDocument.record(customer) }
                    ledger.append(customer, at: keys)
                    return (customer, true)
                case .free, .codeTaken:
                    code = newCustomerCode()
                    codeHash = PositionIndex.hash(code: code)
                }
            }
        }
        try store.sync(logged)
        return result
    }

    /// The customer `reference` names, or Paystack's 404 (with the other-domain wording when it
    /// exists in this integration's other domain).
    public func customer(_ reference: CustomerReference) throws(PaystackError) -> Customer {
        let domain = self.domain
        return try books.read { test, live throws(PaystackError) in
            let own = domain == .test ? test : live
            let other = domain == .test ? live : test
            let index = try locate(reference, in: own, other: other, domain: domain)
            return own.customers[index]
        }
    }

    /// A page of customers created within `from...to`, newest first, each rendered by `renderItem`
    /// (or taken from the ledger's cache of rendered items).
    public func listCustomers(
        from: Timestamp?, to: Timestamp?, page request: PageRequest, renderItem: (Customer) -> [UInt8]
    ) -> CustomerPage {
        let page = try? books.write(domain) { ledger, _ throws(PaystackError) in
            func items(_ range: Range<Int>) -> [[UInt8]] {
                range.reversed().map { ledger.listItem(at: $0, render: renderItem) }
            }
            let range = ledger.range(from: from, to: to)
            switch request {
            case .offset(let page, let perPage):
                // Newest first: page 1 is the top of the range.
                let skipped = (page - 1).multipliedReportingOverflow(by: perPage)
                guard !skipped.overflow, skipped.partialValue < range.count else {
                    return CustomerPage(items: [], total: range.count)
                }
                let top = range.upperBound - skipped.partialValue
                let bottom = max(range.lowerBound, top - perPage)
                return CustomerPage(items: items(bottom..<top), total: range.count)
            case .cursor(let after, let before, let perPage):
                let top: Int, bottom: Int
                if let after {
                    top = min(range.upperBound, max(range.lowerBound, ledger.lowerBound { $0.id < after }))
                    bottom = max(range.lowerBound, top - perPage)
                } else if let before {
                    bottom = max(range.lowerBound, min(range.upperBound, ledger.lowerBound { $0.id <= before }))
                    top = min(range.upperBound, bottom + perPage)
                } else {
                    top = range.upperBound
                    bottom = max(range.lowerBound, top - perPage)
                }
                let slice = ledger.customers[bottom..<top]
                return CustomerPage(
                    items: items(bottom..<top), total: range.count,
                    nextID: bottom > range.lowerBound ? slice.first?.id : nil,
                    previousID: top < range.upperBound ? slice.last?.id : nil)
            }
        }
        return page!
    }

    /// Replaces the given fields. After a successful identification the names are locked (contract
    /// decision): given names are then ignored, other fields still apply.
    public func updateCustomer(_ reference: CustomerReference, _ changes: CustomerChanges) throws(PaystackError) -> Customer {
        try modifyCustomer(reference) { customer in
            if !customer.identified {
                if let firstName = changes.firstName { customer.firstName = firstName }
                if let lastName = changes.lastName { customer.lastName = lastName }
            }
            if let phone = changes.phone { customer.phone = phone }
            if let metadata = changes.metadata { customer.metadata = metadata }
        }
    }

    public func setRiskAction(_ reference: CustomerReference, _ action: RiskAction) throws(PaystackError) -> Customer {
        try modifyCustomer(reference) { $0.riskAction = action }
    }

    /// Finds the customer, applies `change`, advances `updatedAt` and stores it, in one critical section.
    func modifyCustomer(_ reference: CustomerReference, _ change: (inout Customer) -> Void) throws(PaystackError) -> Customer {
        let now = store.clock.now()
        let domain = self.domain
        let store = self.store
        var logged = 0
        let changed = try books.write(domain) { ledger, other throws(PaystackError) in
            let index = try locate(reference, in: ledger, other: other, domain: domain)
            var customer = ledger.customers[index]
            change(&customer)
            customer.updatedAt = max(now, customer.updatedAt)
            logged = try store.persist { StateDocument.record(customer) }
            ledger.replace(at: index, with: customer)
            return customer
        }
        try store.sync(logged)
        return changed
    }

    /// Removes an authorization from its customer; 404 when unknown or already deactivated.
    public func deactivateAuthorization(_ code: String) throws(PaystackError) {
        let store = self.store
        var logged = 0
        try books.write(domain) { ledger, _ throws(PaystackError) in
            guard let owner = ledger.ownerOfAuthorization(code) else {
                throw PaystackError.notFound(Messages.authorizationCodeNotFound)
            }
            if store.stateLog != nil {
                var customer = ledger.customers[owner]
                customer.authorizations.removeAll { $0.authorizationCode == code }
                logged = try store.persist { StateDocument.record(customer) }
            }
            _ = ledger.deactivateAuthorization(code)
        }
        try store.sync(logged)
    }
}

private func locate(_ reference: CustomerReference, in own: Ledger, other: Ledger, domain: Domain) throws(PaystackError) -> Int {
    if let index = own.index(of: reference) { return index }
    if other.index(of: reference) != nil {
        switch reference {
        case .code: throw PaystackError.notFound(Messages.customerCodeInvalid(for: domain))
        case .email: throw PaystackError.notFound(Messages.customerEmailInvalid(for: domain))
        case .id: break
        }
    }
    throw PaystackError.notFound(Messages.customerNotFound)
}
