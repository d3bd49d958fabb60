namespace Berth.TestImages;

internal enum LayerCompression { None, Gzip, Zstd }
