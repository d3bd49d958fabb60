using System.Globalization;

namespace Berth.Engine.Logs;

/// <summary>
/// A container's log driver, checked and with its options parsed: <c>json-file</c> (Docker's format; by default one
/// file that never rotates), <c>local</c> (compact records, <see cref="LocalLogRecordFormat"/>; Docker's defaults:
/// 20m x 5 files, rotated ones gzipped) or <c>none</c>. Options are moby's: <c>max-size</c> (go-units RAMInBytes),
/// <c>max-file</c> (at least 1; for json-file more only with max-size) and <c>compress</c> (rotated files gzipped;
/// json-file: only with max-size; local: not with max-file 1).
/// </summary>
public sealed record LogSettings(string Driver, long MaxSize, int MaxFile, bool Compress)
{
    public const string JsonFile = "json-file";
    public const string None = "none";
    public const string Local = "local";

    public static LogSettings Default { get; } = new(JsonFile, -1, 1, false);

    public bool Rotates => MaxSize > 0;

    /// <summary>moby's mergeAndVerifyLogConfig: no type takes the daemon's; the daemon's options fill in those not given for its own type.</summary>
    public static LogConfig Merge(LogConfig? container, LogConfig daemonDefault)
    {
        string type = container?.Type is { Length: > 0 } given ? given : daemonDefault.Type;
        var options = new Dictionary<string, string>(container?.Config ?? []);
        if (type == daemonDefault.Type)
            foreach (var (key, value) in daemonDefault.Config)
                options.TryAdd(key, value);
        return new LogConfig { Type = type, Config = options };
    }

    /// <summary>Checks a driver and its options with moby's words; throws InvalidParameterException for bad input.</summary>
    public static LogSettings Parse(LogConfig config)
    {
        string driver = config.Type.Length == 0 ? JsonFile : config.Type;
        switch (driver)
        {
            case None:
                foreach (string key in config.Config.Keys)
                    throw new InvalidParameterException($"unknown log opt '{key}' for none log driver");
                return new LogSettings(None, -1, 1, false);
            case JsonFile:
            case Local:
                break;
            default:
                throw new InvalidParameterException($"logger: no log driver named '{driver}' is registered");
        }
        bool local = driver == Local;
        long maxSize = local ? 20L * 1024 * 1024 : -1;
        int maxFile = local ? 5 : 1;
        bool compress = local;
        foreach (var (key, value) in config.Config)
        {
            switch (key)
            {
                case "max-size":
                    maxSize = Volumes.ByteSize.Parse(value, "max-size");
                    break;
                case "max-file":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out maxFile))
                        throw new InvalidParameterException($"invalid value for max-file: strconv.Atoi: parsing \"{value}\": invalid syntax");
                    break;
                case "compress":
                    compress = value switch
                    {
                        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
                        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
                        _ => throw new InvalidParameterException($"error reading compress log option: strconv.ParseBool: parsing \"{value}\": invalid syntax"),
                    };
                    break;
                default:
                    throw new InvalidParameterException($"unknown log opt '{key}' for {driver} log driver");
            }
        }
        if (local)
        {
            // moby's local driver (daemon/logger/local/config.go): always rotates; compress needs a rotated file to keep.
            if (maxSize <= 0)
                throw new InvalidParameterException("max-size must be a positive number");
            if (maxFile < 1)
                throw new InvalidParameterException("max-file cannot be less than 1");
            if (maxFile == 1 && config.Config.ContainsKey("compress") && compress)
                throw new InvalidParameterException("compression cannot be enabled when max file count is 1");
            return new LogSettings(Local, maxSize, maxFile, compress && maxFile > 1);
        }
        if (maxFile < 1)
            throw new InvalidParameterException("max-file cannot be less than 1");
        if (maxSize <= 0 && maxFile > 1)
            throw new InvalidParameterException("max-file cannot be set when max-size is not set");
        if (maxSize <= 0 && compress)
            throw new InvalidParameterException("compress cannot be set when max-size is not set");
        return new LogSettings(JsonFile, maxSize, maxFile, compress);
    }
}
