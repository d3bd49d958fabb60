using Berth.Api;
using Berth.Cli.Options;
using Berth.Cli.Templates;
using Berth.Common;

namespace Berth.Cli.Output;

/// <summary>
/// One line of <c>docker images</c> (docker/cli formatter imageContext): an image is shown once per repository
/// and tag, a dangling one as &lt;none&gt; &lt;none&gt;. Sizes use 3 significant digits ("4.26MB").
/// </summary>
internal sealed class ImageRow
{
    private readonly ImageSummary _image;
    private readonly bool _truncate;
    private readonly DateTimeOffset _now;

    private ImageRow(ImageSummary image, string repository, string tag, string digest, bool truncate, DateTimeOffset now)
    {
        _image = image;
        Repository = repository;
        Tag = tag;
        Digest = digest;
        _truncate = truncate;
        _now = now;
    }

    public string Repository { get; }

    public string Tag { get; }

    public string Digest { get; }

    public string Id => _truncate ? ShortId.Of(_image.Id) : _image.Id;

    public string CreatedSince => HumanUnits.Ago(_image.Created, _now);

    public string CreatedAt => GoTime.UnixString(_image.Created);

    public string Size => HumanUnits.Size(_image.Size, 3);

    public string Containers => _image.Containers == -1 ? "N/A" : _image.Containers.ToString();

    public string SharedSize => _image.SharedSize == -1 ? "N/A" : HumanUnits.Size(_image.SharedSize);

    public string UniqueSize => _image.Size == -1 || _image.SharedSize == -1 ? "N/A" : HumanUnits.Size(_image.Size - _image.SharedSize);

    /// <summary>docker's imageContext placeholders and their column headers.</summary>
    public static readonly Placeholders<ImageRow> Placeholders = new Placeholders<ImageRow>("*formatter.imageContext", r => r.ToJson())
        .Add("ID", "IMAGE ID", r => r.Id)
        .Add("Repository", "REPOSITORY", r => r.Repository)
        .Add("Tag", "TAG", r => r.Tag)
        .Add("Digest", "DIGEST", r => r.Digest)
        .Add("CreatedSince", "CREATED", r => r.CreatedSince)
        .Add("CreatedAt", "CREATED AT", r => r.CreatedAt)
        .Add("Size", "SIZE", r => r.Size)
        .Add("Containers", "CONTAINERS", r => r.Containers)
        .Add("SharedSize", "SHARED SIZE", r => r.SharedSize)
        .Add("UniqueSize", "UNIQUE SIZE", r => r.UniqueSize)
        .Add("VirtualSize", "VIRTUAL SIZE", r => HumanUnits.Size(r._image.Size));

    public string ToJson() => GoJson.Object(new Dictionary<string, string?>
    {
        ["Containers"] = Containers,
        ["CreatedAt"] = CreatedAt,
        ["CreatedSince"] = CreatedSince,
        ["Digest"] = Digest,
        ["ID"] = Id,
        ["Repository"] = Repository,
        ["SharedSize"] = SharedSize,
        ["Size"] = Size,
        ["Tag"] = Tag,
        ["UniqueSize"] = UniqueSize,
        ["VirtualSize"] = HumanUnits.Size(_image.Size),
    });

    /// <summary>The rows of one image, as imageFormat builds them; repositories keep the order of their first tag.</summary>
    public static IEnumerable<ImageRow> For(ImageSummary image, bool truncate, bool showDigests, DateTimeOffset now)
    {
        if (IsDangling(image))
        {
            yield return new ImageRow(image, "<none>", "<none>", "<none>", truncate, now);
            yield break;
        }
        var tags = Group(image.RepoTags, r => r.Tag);
        var digests = Group(image.RepoDigests, r => r.Digest);
        foreach (var (repository, repositoryTags) in tags)
        {
            var repositoryDigests = digests.TryGetValue(repository, out var found) ? found : [];
            digests.Remove(repository);
            foreach (string tag in repositoryTags)
            {
                if (!showDigests || repositoryDigests.Count == 0)
                {
                    yield return new ImageRow(image, repository, tag, "<none>", truncate, now);
                    continue;
                }
                foreach (string digest in repositoryDigests)
                    yield return new ImageRow(image, repository, tag, digest, truncate, now);
            }
        }
        foreach (var (repository, repositoryDigests) in digests)
        {
            if (showDigests)
                foreach (string digest in repositoryDigests)
                    yield return new ImageRow(image, repository, "<none>", digest, truncate, now);
            else
                yield return new ImageRow(image, repository, "<none>", "", truncate, now);
        }
    }

    /// <summary>The one row system df -v shows for an image: its first tag only, else &lt;none&gt; &lt;none&gt;.</summary>
    public static ImageRow FirstTag(ImageSummary image, bool truncate, DateTimeOffset now)
    {
        if (!IsDangling(image) && image.RepoTags.Count > 0 && CliReference.TryParse(image.RepoTags[0], out var reference, out _) && reference.Tag is { } tag)
            return new ImageRow(image, reference.FamiliarName, tag, "<none>", truncate, now);
        return new ImageRow(image, "<none>", "<none>", "<none>", truncate, now);
    }

    private static bool IsDangling(ImageSummary image) =>
        (image.RepoTags.Count == 0 && image.RepoDigests.Count == 0)
        || (image.RepoTags is ["<none>:<none>"] && image.RepoDigests is ["<none>@<none>"]);

    /// <summary>Familiar repository name → its tags (or digests), in first-seen order.</summary>
    private static Dictionary<string, List<string>> Group(IEnumerable<string> references, Func<ImageReference, string?> part)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string text in references)
        {
            if (!CliReference.TryParse(text, out var reference, out _) || part(reference) is not { } value)
                continue;
            if (!groups.TryGetValue(reference.FamiliarName, out var values))
                groups[reference.FamiliarName] = values = [];
            values.Add(value);
        }
        return groups;
    }
}
