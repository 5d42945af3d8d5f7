
import JSON
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// Reads a seed-data folder: `integrations.json` (required), `customers.json` and
/// `authorizations.json` (optional). Any problem stops with a `SeedError` naming the file, the
/// record and the field.
/// Where seed records come from: bytes or a mapped file (parsed one record at a time), or parsed values.
public enum SeedSource: Sendable {
    case bytes([UInt8])
    case file(MappedFile)
    case values([JSONValue])
}

public enum SeedLoader {
    public static let integrationsFile = "integrations.json"
    public static let customersFile = "customers.json"
    public static let authorizationsFile = "authorizations.json"

    /// Loads a folder of the three files, or one JSON document with the three arrays as members
    /// (the form `GET /_sandbox/state` exports).
    public static func load(path: String) throws(SeedError) -> SeedData {
        guard FileSystem.isFile(path) else { return try load(directory: path) }
        do {
            return try decode(document: try FileSystem.read(path), name: path)
        } catch let error as SystemError {
            throw SeedError("\(path): cannot read the file (\(error.reason))")
        } catch let error as SeedError {
            throw error
        } catch {
            throw SeedError("\(path): \(error)")
        }
    }

    /// Decodes `{"integrations": [...], "customers": [...], "authorizations": [...]}`.
    public static func decode(document bytes: [UInt8], name: String) throws(SeedError) -> SeedData {
        let document: JSONObject
        do {
            guard case .object(let object) = try JSONParser.parse(bytes) else {
                throw SeedError("\(name): must be a JSON object with integrations, customers and authorizations")
            }
            document = object
        } catch let error as SeedError {
            throw error
        } catch {
            throw SeedError("\(name): not valid JSON: \(error)")
        }
        return try decode(object: document, name: name)
    }

    /// Decodes an already parsed `{"integrations": [...], "customers": [...], "authorizations": [...]}`.
    public static func decode(object document: JSONObject, name: String) throws(SeedError) -> SeedData {
        func records(_ member: String, required: Bool) throws(SeedError) -> (name: String, source: SeedSource)? {
            switch document[member] {
            case .array(let values)?: return ("\(name) \(member)", .values(values))
            case nil where !required: return nil
            case nil: throw SeedError("\(name): member \"\(member)\" is required")
            case let other?: throw SeedError("\(name): member \"\(member)\" must be an array, not \(other.typeName)")
            }
        }
        return try decode(
            integrations: try records("integrations", required: true)!,
            customers: try records("customers", required: false),
            authorizations: try records("authorizations", required: false))
    }

    public static func load(directory: String) throws(SeedError) -> SeedData {
        let integrationsPath = directory + "/" + integrationsFile
        let integrationBytes: MappedFile
        do {
            integrationBytes = try MappedFile(path: integrationsPath)
        } catch {
            throw SeedError("\(integrationsPath): cannot read the file (\(error.reason))")
        }
        let customersPath = directory + "/" + customersFile
        let authorizationsPath = directory + "/" + authorizationsFile
        return try decode(
            integrations: (integrationsPath, .file(integrationBytes)),
            customers: try optionalFile(customersPath).map { (customersPath, .file($0)) },
            authorizations: try optionalFile(authorizationsPath).map { (authorizationsPath, .file($0)) })
    }

    /// The file at `path`, nil when there is none; one that is there but cannot be read is an error.
    private static func optionalFile(_ path: String) throws(SeedError) -> MappedFile? {
        do {
            return try MappedFile(path: path)
        } catch {
            guard error.code == ENOENT else { throw SeedError("\(path): cannot read the file (\(error.reason))") }
            return nil
        }
    }

    /// Decodes the three documents; `name` of each is the path used in messages.
    public static func decode(
        integrations: (name: String, source: SeedSource),
        customers: (name: String, source: SeedSource)?,
        authorizations: (name: String, source: SeedSource)?
    ) throws(SeedError) -> SeedData {
        var decodedIntegrations: [Integration] = []
        try forEachRecord(integrations.name, integrations.source) { record throws(SeedError) in
            decodedIntegrations.append(try record.integration(knownIDs: Set(decodedIntegrations.map(\.id))))
        }
        let known = Dictionary(uniqueKeysWithValues: decodedIntegrations.map { ($0.id, $0) })
        try checkKeysDistinct(decodedIntegrations, file: integrations.name)

        var decodedCustomers: [Customer] = []
        var idsGiven = false
        if let customers {
            var collected = CustomerCollector(file: customers.name, integrations: known)
            if case .file(let file) = customers.source, file.bytes.count >= parallelReadingThreshold {
                try collected.readInTwo(file)
            } else {
                try forEachRecord(customers.name, customers.source) { record throws(SeedError) in try collected.take(record) }
            }
            decodedCustomers = collected.customers
            idsGiven = collected.idsGiven ?? false
        }
        decodedCustomers = try inCreationOrder(consume decodedCustomers, idsGiven: idsGiven, file: customers?.name ?? "")

        if let authorizations {
            // Few cards, many customers: read the cards first, then find their owners in one pass.
            var cards: [(record: SeedRecord, customer: String, integration: Int?, authorization: Authorization)] = []
            var seenCodes = Set<String>()
            try forEachRecord(authorizations.name, authorizations.source) { record throws(SeedError) in
                let (customerCode, integration, authorization) = try record.authorization(integrations: known)
                cards.append((record, customerCode, integration, authorization))
            }
            let wanted = Set(cards.map(\.customer))
            var owners: [String: [Int]] = [:]
            for (position, customer) in decodedCustomers.enumerated() where wanted.contains(customer.customerCode) {
                owners[customer.customerCode, default: []].append(position)
            }
            for card in cards {
                guard let position = owners[card.customer]?.first(where: {
                    card.integration == nil || decodedCustomers[$0].integration == card.integration
                }) else {
                    throw card.record.error(field: "customer", "no customer has the code \(card.customer)")
                }
                let owner = decodedCustomers[position]
                let scope = "\(owner.integration)/\(owner.domain.rawValue)/\(card.authorization.authorizationCode)"
                guard seenCodes.insert(scope).inserted else {
                    throw card.record.error(field: "authorization_code", "\(card.authorization.authorizationCode) appears twice")
                }
                decodedCustomers[position].authorizations.append(card.authorization)
            }
        }
        return try SeedData(integrations: decodedIntegrations, customers: consume decodedCustomers, source: customers?.name ?? "customers")
    }

    /// Sorts by id, or gives ids in creation order when the file gave none; ids must be unique.
    /// (Codes, emails and the order of createdAt are checked as the ledgers are built.)
    private static func inCreationOrder(_ customers: consuming [Customer], idsGiven: Bool, file: String) throws(SeedError) -> [Customer] {
        var ordered = customers
        if idsGiven {
            if !ordered.indices.dropFirst().allSatisfy({ ordered[$0 - 1].id < ordered[$0].id }) {
                ordered.sort { $0.id < $1.id }
            }
            for index in ordered.indices.dropFirst() where ordered[index - 1].id == ordered[index].id {
                throw SeedError("\(file): customer \(ordered[index].customerCode): field \"id\": \(ordered[index].id) appears twice")
            }
        } else {
            let order = ordered.indices.sorted { left, right in
                let a = ordered[left].createdAt.seconds, b = ordered[right].createdAt.seconds
                return a != b ? a < b : left < right
            }
            let unordered = ordered
            ordered = order.enumerated().map { position, index in
                var customer = unordered[index]
                customer.id = position + 1
                return customer
            }
        }
        return ordered
    }

    private static func checkKeysDistinct(_ integrations: [Integration], file: String) throws(SeedError) {
        var seen: [String: Int] = [:]
        for integration in integrations {
            for key in Array(integration.secretKeys.values) + Array(integration.publicKeys.values) {
                if let other = seen[key] {
                    throw SeedError("\(file): integration \(integration.id): a key is also used by integration \(other)")
                }
                seen[key] = integration.id
            }
        }
    }

    static func forEachRecord(_ file: String, _ source: SeedSource, _ body: (SeedRecord) throws(SeedError) -> Void) throws(SeedError) {
        switch source {
        case .bytes(let bytes):
            let outcome: Result<Void, SeedError> = bytes.withUnsafeBufferPointer { buffer in
                Result { () throws(SeedError) in try forEachRecord(file, buffer, body) }
            }
            try outcome.get()
        case .file(let mapped):
            try withExtendedLifetime(mapped) { () throws(SeedError) in try forEachRecord(file, mapped.bytes, body) }
        case .values(let values):
            for (index, value) in values.enumerated() {
                try body(try SeedRecord(file: file, index: index, value: value))
            }
        }
    }

    private static func forEachRecord(_ file: String, _ bytes: UnsafeBufferPointer<UInt8>, _ body: (SeedRecord) throws(SeedError) -> Void) throws(SeedError) {
        do {
            var reader = try JSONArrayReader(bytes)
            var index = 0
            while let value = try reader.next() {
                try body(try SeedRecord(file: file, index: index, value: value))
                index += 1
            }
        } catch let error as SeedError {
            throw error
        } catch {
            throw SeedError("\(file): not valid JSON (an array of objects expected): \(error)")
        }
    }
}
