#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes, mapped read-only. A seed file of a million customers is 350 MB: reading it into
/// an array would zero and copy every page of it first.
public final class MappedFile: @unchecked Sendable {
    // Immutable after init; the mapping lives as long as the object.
    public let bytes: UnsafeBufferPointer<UInt8>

    /// Throws when the file cannot be opened or mapped; `code` ENOENT when there is none.
    public init(path: String) throws(SystemError) {
        let descriptor = try systemCall("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(descriptor) }
        var status = stat()
        try systemCall("fstat(\(path))") { fstat(descriptor, &status) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw SystemError(call: "open(\(path))", code: EISDIR) }
        let size = Int(status.st_size)
        if size == 0 {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0)
        guard let mapping, mapping != MAP_FAILED else { throw SystemError(call: "mmap(\(path))") }
        bytes = UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

/// Whole files, and writes that survive a crash.
public enum FileSystem {
    /// The whole file at `path`, read into one allocation of its size.
    public static func read(_ path: String) throws(SystemError) -> [UInt8] {
        let file = try MappedFile(path: path)
        return Array(file.bytes)
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether `path` is a regular file (not a folder).
    public static func isFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// Writes every byte to `descriptor`, retrying short writes and interruptions.
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(SystemError) {
        let outcome: Result<Void, SystemError> = bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(SystemError(call: "write(\(path))"))
                }
                offset += count
            }
            return .success(())
        }
        try outcome.get()
    }

    /// Writes `bytes` to `path` through a temporary file that is flushed and renamed over it, so a
    /// crash leaves the old file or the new one, never a part. `mode` applies to a new file.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(SystemError) {
        let temporary = path + ".tmp"
        let descriptor = try systemCall("open(\(temporary))") { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        do throws(SystemError) {
            try writeAll(descriptor, bytes, path: temporary)
            try systemCall("fsync(\(temporary))") { fsync(descriptor) }
        } catch {
            close(descriptor)
            throw error
        }
        close(descriptor)
        try systemCall("rename(\(temporary), \(path))") { rename(temporary, path) }
        syncDirectory(of: path)
    }

    /// Flushes the folder holding `path`, so that a rename or a new file in it survives a crash.
    public static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws(SystemError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, mode) != 0 && errno != EEXIST { throw SystemError(call: "mkdir(\(built))") }
        }
    }
}
