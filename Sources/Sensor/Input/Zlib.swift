import CZlib

/// The version of the zlib the sensor reads gzip input with.
public var zlibVersionString: String { String(cString: zlibVersion()) }
