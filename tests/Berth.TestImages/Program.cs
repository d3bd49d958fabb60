using Berth.TestImages;

// dotnet run --project tests/Berth.TestImages [-- --rebuild]
// Builds (or checks) the test image cache and prints where each fixture is.
var set = args.Contains("--rebuild") ? TestImages.Rebuild() : TestImages.Ensure();
Console.WriteLine($"cache:                 {TestImages.CacheDirectory}");
Console.WriteLine($"BusyboxDockerArchive:  {set.BusyboxDockerArchive}");
Console.WriteLine($"BusyboxLegacyArchive:  {set.BusyboxLegacyArchive}");
Console.WriteLine($"BusyboxOciArchive:     {set.BusyboxOciArchive}");
Console.WriteLine($"BusyboxZstdOciArchive: {set.BusyboxZstdOciArchive}");
Console.WriteLine($"LayeredDockerArchive:  {set.LayeredDockerArchive}");
Console.WriteLine($"RootfsDirectory:       {set.RootfsDirectory}");
Console.WriteLine($"BusyboxDebPath:        {set.BusyboxDebPath}");
