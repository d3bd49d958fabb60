using System.Text.Json;

namespace Berth.Engine.Containers.Health;

/// <summary>
/// A healthcheck with the names and units of Docker's HealthConfig: durations in nanoseconds, 0 meaning "inherit"
/// (at create) or the default (when it runs). Test is <c>[]</c> (inherit), <c>["NONE"]</c> (disabled),
/// <c>["CMD", arg...]</c> or <c>["CMD-SHELL", command]</c>.
/// </summary>
public sealed class HealthConfig
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    public const int DefaultRetries = 3;

    public List<string>? Test { get; set; }

    public long Interval { get; set; }

    public long Timeout { get; set; }

    public int Retries { get; set; }

    public long StartPeriod { get; set; }

    public long StartInterval { get; set; }

    /// <summary>Whether a probe runs: a test that is neither empty nor NONE.</summary>
    public bool IsEnabled => Test is [_, ..] && Test[0] != "NONE";

    public TimeSpan IntervalOrDefault => Or(Interval, DefaultInterval);

    public TimeSpan TimeoutOrDefault => Or(Timeout, DefaultTimeout);

    public TimeSpan StartPeriodOrDefault => Or(StartPeriod, TimeSpan.Zero);

    public TimeSpan StartIntervalOrDefault => Or(StartInterval, DefaultStartInterval);

    public int RetriesOrDefault => Retries > 0 ? Retries : DefaultRetries;

    private static TimeSpan Or(long nanoseconds, TimeSpan fallback) => nanoseconds > 0 ? TimeSpan.FromTicks(nanoseconds / 100) : fallback;

    /// <summary>The command of a probe: CMD's arguments, or CMD-SHELL's command through /bin/sh -c.</summary>
    public List<string> Command() => Test switch
    {
        ["CMD", .. var args] => [.. args],
        ["CMD-SHELL", string command] => ["/bin/sh", "-c", command],
        _ => throw new InvalidParameterException($"invalid healthcheck test: {string.Join(' ', Test ?? [])}"),
    };

    /// <summary>moby's checks at create (verifyContainerSettings), with its wording.</summary>
    public void Validate()
    {
        if (Interval is not 0 and < 1_000_000)
            throw new InvalidParameterException("Interval in Healthcheck cannot be less than 1ms");
        if (Timeout is not 0 and < 1_000_000)
            throw new InvalidParameterException("Timeout in Healthcheck cannot be less than 1ms");
        if (Retries < 0)
            throw new InvalidParameterException("Retries in Healthcheck cannot be negative");
        if (StartPeriod is not 0 and < 1_000_000)
            throw new InvalidParameterException("StartPeriod in Healthcheck cannot be less than 1ms");
        if (StartInterval is not 0 and < 1_000_000)
            throw new InvalidParameterException("StartInterval in Healthcheck cannot be less than 1ms");
        if (Test is [string kind, ..] && kind is not ("NONE" or "CMD" or "CMD-SHELL"))
            throw new InvalidParameterException($"invalid healthcheck test type \"{kind}\": use CMD, CMD-SHELL or NONE");
        if (Test is ["CMD"] or ["CMD-SHELL"])
            throw new InvalidParameterException("healthcheck test has no command");
    }

    /// <summary>
    /// moby's merge at create: the container's healthcheck over the image's. No healthcheck takes the image's; an empty
    /// test takes the image's test; each unset (0) duration or retry count takes the image's.
    /// </summary>
    public static HealthConfig? Merge(HealthConfig? container, HealthConfig? image)
    {
        if (container is null)
            return image;
        if (image is null)
            return container;
        return new HealthConfig
        {
            Test = container.Test is { Count: > 0 } ? container.Test : image.Test,
            Interval = container.Interval != 0 ? container.Interval : image.Interval,
            Timeout = container.Timeout != 0 ? container.Timeout : image.Timeout,
            Retries = container.Retries != 0 ? container.Retries : image.Retries,
            StartPeriod = container.StartPeriod != 0 ? container.StartPeriod : image.StartPeriod,
            StartInterval = container.StartInterval != 0 ? container.StartInterval : image.StartInterval,
        };
    }

    /// <summary>The image config's Healthcheck object (kept raw by the image store); null when absent or not an object.</summary>
    public static HealthConfig? FromImage(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } json)
            return null;
        var config = new HealthConfig();
        foreach (var property in json.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "Test" when value.ValueKind == JsonValueKind.Array:
                    config.Test = [.. value.EnumerateArray().Select(e => e.GetString() ?? "")];
                    break;
                case "Interval" when value.TryGetInt64(out long interval):
                    config.Interval = interval;
                    break;
                case "Timeout" when value.TryGetInt64(out long timeout):
                    config.Timeout = timeout;
                    break;
                case "Retries" when value.TryGetInt32(out int retries):
                    config.Retries = retries;
                    break;
                case "StartPeriod" when value.TryGetInt64(out long startPeriod):
                    config.StartPeriod = startPeriod;
                    break;
                case "StartInterval" when value.TryGetInt64(out long startInterval):
                    config.StartInterval = startInterval;
                    break;
            }
        }
        return config;
    }
}
