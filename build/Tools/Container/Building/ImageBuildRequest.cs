namespace CloudAge.Tools.Container.Building;

/// <summary>Where an image's provenance comes from; becomes OCI labels and the VERSION/COMMIT build arguments.</summary>
/// <param name="Version">The version (for example from <c>ImageTagSet.Version</c> of CloudAge.Tools.Git).</param>
/// <param name="Revision">The full git commit sha.</param>
/// <param name="Source">The source repository URL.</param>
/// <param name="Created">When the image was built; pass the commit time for reproducible labels.</param>
public sealed record ImageMetadata(string Version, string Revision, string Source, DateTimeOffset Created);

/// <summary>What to build: a context directory, the full references to tag it with, and its provenance.</summary>
/// <param name="ContextDirectory">The build context (its .dockerignore is honoured).</param>
/// <param name="References">Full references such as <c>registry/repo:tag</c> or <c>repo:tag</c>; at least one.</param>
/// <param name="Metadata">Provenance labels and build arguments.</param>
public sealed record ImageBuildRequest(string ContextDirectory, IReadOnlyList<string> References, ImageMetadata Metadata)
{
    /// <summary>Dockerfile path relative to the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    /// <summary>Passed as the BASE_IMAGE build argument when set; the Dockerfile's default applies otherwise.</summary>
    public string? BaseImage { get; init; }

    public IReadOnlyDictionary<string, string> BuildArguments { get; init; } = new Dictionary<string, string>();

    public bool NoCache { get; init; }

    /// <summary>The engine API's <c>platform</c> (for example <c>linux/arm64</c>): the base image is taken, or pulled, for it. Null: the engine's own.</summary>
    public string? Platform { get; init; }

    /// <summary>
    /// A folder where builds are recorded by their inputs (<see cref="BuildRecords"/>): a build whose inputs are those
    /// of a recorded one reuses that image, still in the engine, instead of sending the context again. Null: every
    /// build goes to the engine. <see cref="NoCache"/> builds are recorded but never reuse. The folder keeps the
    /// <see cref="BuildRecords.GroupsKept"/> most recently used record folders and deletes older ones (only entries
    /// named as records are: 64 hex digits).
    /// </summary>
    public string? RecordDirectory { get; init; }
}

/// <summary>The built image: its local id (<c>sha256:…</c>) and the references it carries.</summary>
public sealed record ImageBuildResult(string ImageId, IReadOnlyList<string> References);
