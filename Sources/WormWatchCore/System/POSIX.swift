#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls WormWatch makes on files, the same on Linux and macOS.
///
/// Types that have `read`, `write` or `close` methods of their own cannot call the C
/// functions unqualified; they call these, so that only this file names the platform's C
/// library.
public enum POSIX {
    /// `read(2)`: bytes read, 0 at the end, -1 on error (see ``lastError``).
    @inlinable
    public static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #elseif canImport(Musl)
        Musl.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// `write(2)`: bytes written, -1 on error.
    @inlinable
    public static func write(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
        #elseif canImport(Musl)
        Musl.write(descriptor, buffer, count)
        #else
        Darwin.write(descriptor, buffer, count)
        #endif
    }

    /// `close(2)`: 0, or -1 on error.
    @discardableResult
    public static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #elseif canImport(Musl)
        Musl.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// Opens `path` for reading; a descriptor, or -1 (see ``lastError``).
    public static func openForReading(_ path: String) -> Int32 {
        open(path, O_RDONLY | O_CLOEXEC)
    }

    /// Creates (or truncates) `path` for writing, mode 0644; a descriptor, or -1.
    public static func createForWriting(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    }

    /// Whether the last call failed because it was interrupted by a signal (`EINTR`).
    public static var wasInterrupted: Bool { errno == EINTR }

    /// Whether the last call failed because the file does not exist (`ENOENT`).
    public static var wasMissing: Bool { errno == ENOENT }

    /// The last call's error in words (`strerror(errno)`).
    public static var lastError: String { String(cString: strerror(errno)) }

    /// Writes all `count` bytes at `bytes`, retrying short and interrupted writes; `nil` on
    /// success, else why it failed.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> String? {
        var offset = 0
        while offset < count {
            let n = write(descriptor, bytes + offset, count - offset)
            if n > 0 {
                offset += n
            } else if n < 0, wasInterrupted {
                continue
            } else {
                return n < 0 ? lastError : "short write"
            }
        }
        return nil
    }

    /// Writes all of `bytes`; `nil` on success, else why it failed.
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            return writeAll(descriptor, base, raw.count)
        }
    }

    /// Whether standard output (1) or standard error (2) is a terminal.
    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Sleeps for `seconds` (microsecond resolution).
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        usleep(useconds_t(Swift.min(seconds, 3600) * 1_000_000))
    }

    /// Stops the default action of SIGINT and SIGTERM (ending the process), so that a
    /// dispatch source can handle them (``SignalWatch``).
    public static func ignoreInterruptAndTerminate() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
    }

    /// SIGINT and SIGTERM's numbers.
    public static var interruptAndTerminate: [Int32] { [SIGINT, SIGTERM] }
}
