// The driver of every fuzz target: libFuzzer's when built with -DFUZZING (its own `main` is not
// linked: SwiftPM names the entry point, which hands over to LLVMFuzzerRunDriver), else a replayer
// that runs each file named on the command line once.
#if canImport(Glibc)
import Glibc
#endif

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) private var target: (([UInt8]) -> Void)?

/// What libFuzzer calls with each input (its runtime refers to the symbol by name).
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    target!(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif

public func runFuzzer(_ fuzzOne: @escaping ([UInt8]) -> Void) -> Never {
    #if FUZZING
    target = fuzzOne
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) })
    #else
    for path in CommandLine.arguments.dropFirst() {
        guard let file = fopen(path, "rb") else { continue }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        fclose(file)
        fuzzOne(bytes)
        print("ran \(path) (\(bytes.count) bytes)")
    }
    exit(0)
    #endif
}
