namespace Berth.Registry;

/// <summary>
/// GET /images/search: a term is searched where dockerd would search it (registry/search.go): Docker Hub's index for
/// <c>busybox</c> or <c>user/app</c>, the named registry's v1 search API for <c>host:port/term</c>. Registry 2.x has no
/// search API, so for a private registry without one Berth (an addition to Docker) searches its catalog instead: the
/// repositories whose name contains the term, each described by its tags where the registry lists them.
/// </summary>
public sealed class ImageSearcher(RegistryService service)
{
    /// <summary>moby's DefaultSearchLimit, and the range it accepts.</summary>
    public const int DefaultLimit = 25, MaxLimit = 100;

    /// <summary>How many repositories a catalog search reads at most (100 pages of 100), so memory stays bounded.</summary>
    private const int MaxCatalogRepositories = 10_000;

    /// <summary>Tags shown in a catalog result's description; more are summed up as "+N".</summary>
    private const int TagsShown = 5;

    /// <summary>The Docker Hub index that answers v1 searches.</summary>
    public const string HubIndexHost = "index.docker.io";

    public async Task<List<SearchResult>> SearchAsync(string term, int limit, RegistryCredentials? credentials, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            throw new RegistryException(RegistryErrorKind.InvalidParameter, $"limit {limit} is outside the range of [1, {MaxLimit}]");
        var (domain, query) = Berth.Common.SearchTerm.Split(term);
        var endpoint = RegistryEndpoint.For(domain, service.Options);
        if (endpoint.Host == RegistryEndpoint.HubHost)
        {
            var hub = new RegistryClient(service, endpoint with { Host = HubIndexHost }, null, credentials, []);
            return await hub.SearchV1Async(query, limit, ping: false, ct)
                ?? throw new RegistryException(RegistryErrorKind.Unavailable, $"{HubIndexHost} answered 404 to a search");
        }
        var client = new RegistryClient(service, endpoint, null, credentials, ["registry:catalog:*"]);
        return await client.SearchV1Async(query, limit, ping: true, ct) ?? await SearchCatalogAsync(client, query, limit, credentials, ct);
    }

    private async Task<List<SearchResult>> SearchCatalogAsync(RegistryClient catalog, string query, int limit, RegistryCredentials? credentials, CancellationToken ct)
    {
        var names = (await catalog.ListRepositoriesAsync(MaxCatalogRepositories, ct))
            .Where(name => name.Contains(query, StringComparison.OrdinalIgnoreCase))
            .Take(limit)
            .ToList();
        var results = names.Select(name => new SearchResult { Name = $"{catalog.Endpoint.Domain}/{name}" }).ToList();
        // The tags of each match, a few at a time; a repository whose tags the registry will not list keeps no description.
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            try
            {
                if (!Berth.Common.ImageReference.TryParse($"{catalog.Endpoint.Domain}/{names[i]}", out var repository))
                    return;
                results[i].Description = Describe(await service.Open(repository, credentials, push: false).ListTagsAsync(token));
            }
            catch (RegistryException)
            {
            }
        });
        return results;
    }

    /// <summary><c>tags: 1.0, latest</c> (in name order: registries list them in any order), or the first few and how many more.</summary>
    internal static string Describe(IReadOnlyList<string> tags) =>
        tags.Count == 0 ? "no tags"
        : "tags: " + string.Join(", ", tags.Order(StringComparer.Ordinal).Take(TagsShown)) + (tags.Count > TagsShown ? $" (+{tags.Count - TagsShown})" : "");
}
