namespace Berth.Common;

/// <summary>
/// A search term's registry and query, as moby's splitReposSearchTerm: a first component with a dot or a colon, or
/// <c>localhost</c>, names a registry (<c>localhost:5000/app</c>); anything else is searched on Docker Hub, whose
/// <c>library/</c> prefix is dropped. Shared by berthd (where to search) and the CLI (which credentials to send).
/// </summary>
public static class SearchTerm
{
    public static (string Domain, string Query) Split(string term)
    {
        int slash = term.IndexOf('/');
        string first = slash < 0 ? "" : term[..slash];
        if (slash < 0 || !(first.Contains('.') || first.Contains(':') || first == "localhost"))
            return (ImageReference.DefaultDomain, WithoutLibrary(term));
        string query = term[(slash + 1)..];
        return first is "index.docker.io" or "registry-1.docker.io" or ImageReference.DefaultDomain
            ? (ImageReference.DefaultDomain, WithoutLibrary(query))
            : (first, query);
    }

    private static string WithoutLibrary(string query) =>
        query.StartsWith("library/", StringComparison.Ordinal) ? query["library/".Length..] : query;
}
