using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>CFS throttling of a stats sample: periods, periods throttled, and time throttled in nanoseconds.</summary>
public sealed class StatsThrottling
{
    [JsonPropertyName("periods")]
    public long Periods { get; set; }

    [JsonPropertyName("throttled_periods")]
    public long ThrottledPeriods { get; set; }

    [JsonPropertyName("throttled_time")]
    public long ThrottledTime { get; set; }
}
