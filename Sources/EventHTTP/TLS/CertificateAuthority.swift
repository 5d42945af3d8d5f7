import CTLS
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// A local CA and a server certificate it signs, kept in a folder so that a CA trusted once stays
/// trusted across restarts: `ca.pem` (+ `ca-key.pem`), `server.pem` (the certificate, then the CA)
/// and `server-key.pem`. The server certificate is made again when the names change or fewer than
/// 30 days remain; the CA when it is missing or within a year of its end.
public struct CertificateAuthority: Sendable {
    public let directory: String
    public var caPath: String { directory + "/ca.pem" }
    var caKeyPath: String { directory + "/ca-key.pem" }
    public var chainPath: String { directory + "/server.pem" }
    public var keyPath: String { directory + "/server-key.pem" }
    var namesPath: String { directory + "/server-names.txt" }

    /// Server certificates last this long (under the 398 days some clients allow).
    static let serverDays = 397

    /// What `prepare` did.
    public struct Outcome: Sendable, Equatable {
        public var madeCA: Bool
        public var madeServerCertificate: Bool

        public init(madeCA: Bool, madeServerCertificate: Bool) {
            self.madeCA = madeCA
            self.madeServerCertificate = madeServerCertificate
        }
    }

    public init(directory: String) {
        self.directory = directory
    }

    /// Makes what is missing or stale for `names` (DNS names and IP addresses).
    @discardableResult
    public func prepare(names: [String]) throws(TLSError) -> Outcome {
        do {
            // Others may read the certificates (an app under another uid trusts ca.pem from a shared
            // volume); the private keys are written 0600.
            try FileSystem.makeDirectories(directory, mode: 0o755)
        } catch {
            throw TLSError("\(directory): \(error)")
        }
        let now = Int64(time(nil))
        var outcome = Outcome(madeCA: false, madeServerCertificate: false)
        let caEnd = ctls_certificate_not_after(caPath)
        if caEnd < now + 365 * 86_400 || !FileSystem.exists(caKeyPath) {
            try call { ctls_make_ca(caPath, caKeyPath, "paystack-mock local CA", $0, $1) }
            outcome.madeCA = true
        }
        let wanted = names.joined(separator: "\n")
        let recorded = (try? FileSystem.read(namesPath)).map { String(decoding: $0, as: UTF8.self) }
        if outcome.madeCA || recorded != wanted || ctls_certificate_not_after(chainPath) < now + 30 * 86_400 || !FileSystem.exists(keyPath) {
            let cNames = names.map { strdup($0) }
            defer { cNames.forEach { free($0) } }
            let pointers = cNames.map { UnsafePointer($0) }
            try pointers.withUnsafeBufferPointer { (list) throws(TLSError) in
                try call { ctls_make_server_certificate(caPath, caKeyPath, list.baseAddress, Int32(list.count), Int32(Self.serverDays), chainPath, keyPath, $0, $1) }
            }
            do {
                try FileSystem.replace(namesPath, with: Array(wanted.utf8))
            } catch {
                throw TLSError("\(namesPath): \(error)")
            }
            outcome.madeServerCertificate = true
        }
        return outcome
    }

    private func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(TLSError) {
        var error = [CChar](repeating: 0, count: 512)
        guard body(&error, error.count) == 0 else { throw TLSError(String(cBuffer: error)) }
    }

    /// `$XDG_DATA_HOME/paystack-mock/tls`, else `~/.local/share/paystack-mock/tls`, else `./.paystack-mock-tls`.
    public static var defaultDirectory: String {
        if let data = getenv("XDG_DATA_HOME").map({ String(cString: $0) }), data.hasPrefix("/") { return data + "/paystack-mock/tls" }
        if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty { return home + "/.local/share/paystack-mock/tls" }
        return ".paystack-mock-tls"
    }
}
