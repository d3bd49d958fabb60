using System.Text.RegularExpressions;

namespace Berth.Engine.Containers;

/// <summary>Container names: Docker's validation rule and its adjective_surname generator (a shorter word list).</summary>
public static partial class ContainerNames
{
    private static readonly string[] Adjectives =
    [
        "admiring", "bold", "brave", "busy", "calm", "clever", "cool", "eager", "elegant", "epic", "festive", "focused",
        "friendly", "gallant", "gifted", "happy", "hopeful", "jolly", "keen", "kind", "lucid", "modest", "nice", "quirky",
        "relaxed", "serene", "sharp", "stoic", "sweet", "tender", "trusting", "vibrant", "wizardly", "zealous",
    ];

    private static readonly string[] Surnames =
    [
        "archimedes", "babbage", "bell", "curie", "darwin", "dijkstra", "einstein", "euler", "faraday", "fermi",
        "galileo", "gauss", "hopper", "hypatia", "kepler", "knuth", "lamarr", "lovelace", "maxwell", "meitner",
        "newton", "noether", "pascal", "ritchie", "shannon", "tesla", "thompson", "torvalds", "turing", "wozniak",
    ];

    [GeneratedRegex("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    /// <summary>The name without a leading slash; throws InvalidParameterException for names Docker refuses.</summary>
    public static string Normalize(string name)
    {
        if (!ValidName().IsMatch(name))
            throw new InvalidParameterException($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return name.TrimStart('/');
    }

    /// <summary>Whether <paramref name="id"/> has the shape of a container id (64 lower-case hex digits).</summary>
    public static bool IsContainerId(string id) => id.Length == 64 && id.All(char.IsAsciiHexDigitLower);

    public static string Generate(Func<string, bool> isTaken)
    {
        for (int attempt = 0; ; attempt++)
        {
            string name = $"{Pick(Adjectives)}_{Pick(Surnames)}";
            if (attempt > 10)
                name += Random.Shared.Next(10);
            if (!isTaken(name))
                return name;
        }
    }

    private static string Pick(string[] words) => words[Random.Shared.Next(words.Length)];
}
