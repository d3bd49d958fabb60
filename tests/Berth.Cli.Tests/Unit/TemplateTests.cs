using System.Text.Json;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Commands;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>
/// docker's template language (Go text/template with docker/cli's functions) against the examples of
/// docs.docker.com/engine/cli/formatting and docker/cli's formatter tests, and the errors Go words.
/// </summary>
public sealed class TemplateTests
{
    private static readonly JsonElement Inspect = JsonDocument.Parse("""
        {"Id":"abc123","Name":"/web","State":{"Status":"running","Running":true,"Pid":4242,"ExitCode":0},
         "Config":{"Cmd":["sh","-c","echo <hi>"],"Labels":{"com.example.vendor":"ACME","b":"2"},"Env":null},
         "Mounts":[{"Source":"/srv","Destination":"/data"},{"Source":"/tmp","Destination":"/tmp"}],
         "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2"}}},"Ratio":1.5}
        """).RootElement;

    private static string Run(string template, object? data = null, bool missingKeyError = false) =>
        GoTemplate.Parse(template).Execute(data ?? Inspect, missingKeyError);

    // docs.docker.com/engine/cli/formatting
    [TestCase("{{join .Config.Cmd \" , \"}}", "sh , -c , echo <hi>")]
    [TestCase("{{json .Config.Cmd}}", "[\"sh\",\"-c\",\"echo <hi>\"]")]
    [TestCase("{{lower .State.Status}} {{upper .State.Status}} {{title .State.Status}}", "running RUNNING Running")]
    [TestCase("{{split .Name \"e\"}}", "[/w b]")]
    [TestCase("{{pad .State.Status 5 0}}|", "     running|")]
    [TestCase("{{truncate .Id 3}}", "abc")]
    [TestCase("{{println .State.Status}}", "running\n")]
    [TestCase("{{range $elem := .Mounts}}{{$elem.Source}} {{end}}", "/srv /tmp ")]
    [TestCase("{{printf \"%s-%d-%5.2f|%-4s|%q\" .Name .State.Pid .Ratio \"x\" .Name}}", "/web-4242- 1.50|x   |\"/web\"")]
    // Go's text/template
    [TestCase("{{.State.Pid}} {{.State.Running}} {{.Ratio}} {{.Config.Env}}", "4242 true 1.5 <nil>")]
    [TestCase("{{.Config.Cmd}} {{.Config.Labels}}", "[sh -c echo <hi>] map[b:2 com.example.vendor:ACME]")]
    [TestCase("{{index .Config.Labels \"com.example.vendor\"}}|{{index .Config.Labels \"none\"}}|{{index .Config.Cmd 1}}", "ACME||-c")]
    [TestCase("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "b=2;com.example.vendor=ACME;")]
    [TestCase("{{range $i, $m := .Mounts}}{{if $i}},{{end}}{{.Destination}}{{end}}", "/data,/tmp")]
    [TestCase("{{range .Config.Env}}x{{else}}empty{{end}}", "empty")]
    [TestCase("{{range .Mounts}}{{if eq .Source \"/tmp\"}}{{break}}{{end}}{{.Source}}{{end}}", "/srv")]
    [TestCase("{{if eq .State.Status \"exited\"}}a{{else if .State.Running}}b{{else}}c{{end}}", "b")]
    [TestCase("{{if and .State.Running (gt .State.Pid 0)}}up{{end}}{{if or .Config.Env \"\"}}x{{else}}y{{end}}", "upy")]
    [TestCase("{{if not .State.ExitCode}}ok{{end}} {{ne .Name \"/db\"}} {{lt 1 2}} {{le 2 2}} {{ge 1 2}} {{eq .State.Pid 1 4242}}", "ok true true true false true")]
    [TestCase("{{with .NetworkSettings.Networks.bridge}}{{.IPAddress}}{{end}}{{with .Config.Env}}x{{else}}none{{end}}", "172.17.0.2none")]
    [TestCase("{{$name := .Name}}{{range .Mounts}}{{$name}}:{{.Source}} {{end}}", "/web:/srv /web:/tmp ")]
    [TestCase("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2")]
    [TestCase("a  {{- .Name -}}  b\n{{- /* a comment */ -}}\nc", "a/webbc")]
    [TestCase("{{.Name | printf \"%s!\" | upper}} {{len .Mounts}} {{len .Name}}", "/WEB! 2 4")]
    [TestCase("{{(index .Mounts 1).Source}} {{$.Name}} {{slice .Name 1 3}}", "/tmp /web we")]
    [TestCase("{{print \"a\" 1 2 \"b\"}} {{html \"<a>\"}} {{'a'}} {{0x10}} {{`raw\\n`}}", "a1 2b &lt;a&gt; 97 16 raw\\n")]
    public void RendersLikeGo(string template, string expected) => Assert.That(Run(template), Is.EqualTo(expected));

    [Test]
    public void JsonIsNotHtmlEscapedAndKeepsTheDaemonsOrder() =>
        Assert.That(Run("{{json .State}} {{json .Name}}"), Is.EqualTo("{\"Status\":\"running\",\"Running\":true,\"Pid\":4242,\"ExitCode\":0} \"/web\""));

    [TestCase("{{.Foo}}", true, "template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"")]
    [TestCase("x\n  {{.State.Foo}}", true, "template: :2:10: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\"")]
    [TestCase("{{.Name.Foo}}", false, "template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type string")]
    [TestCase("{{.Config.Env.X}}", false, "template: :1:9: executing \"\" at <.Config.Env.X>: nil pointer evaluating interface {}.X")]
    [TestCase("{{index .Mounts 5}}", false, "template: :1:2: executing \"\" at <index .Mounts 5>: error calling index: index out of range: 5")]
    [TestCase("{{upper 5}}", false, "template: :1:2: executing \"\" at <upper 5>: wrong type for value; expected string; got int")]
    [TestCase("{{lt .Name 1}}", false, "template: :1:2: executing \"\" at <lt .Name 1>: error calling lt: incompatible types for comparison")]
    [TestCase("{{range .Name}}{{end}}", false, "template: :1:8: executing \"\" at <{{range .Name}}{{end...>: range can't iterate over /web")]
    [TestCase("{{nil}}", false, "template: :1:2: executing \"\" at <nil>: nil is not a command")]
    public void ExecutionErrorsAreGos(string template, bool missingKeyError, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => Run(template, missingKeyError: missingKeyError))!;
        Assert.That(error.Message, Is.EqualTo(expected));
    }

    [TestCase("{{.Name", "template: :1: unclosed action")]
    [TestCase("{{InvalidFunction}}", "template: :1: function \"InvalidFunction\" not defined")]
    [TestCase("{{foo .Name}}", "template: :1: function \"foo\" not defined")]
    [TestCase("{{if .Name}}", "template: :1: unexpected EOF")]
    [TestCase("{{end}}", "template: :1: unexpected {{end}}")]
    [TestCase("{{$x}}", "template: :1: undefined variable \"$x\"")]
    [TestCase("{{break}}", "template: :1: {{break}} outside {{range}}")]
    public void ParseErrorsAreGos(string template, string expected) =>
        Assert.That(Assert.Throws<TemplateException>(() => GoTemplate.Parse(template))!.Message, Is.EqualTo(expected));

    private static ContainerRow Container(string name, Dictionary<string, string>? labels = null) => new(new ContainerSummary
    {
        Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        Names = ["/" + name],
        Image = "busybox:latest",
        Command = "sleep 1000",
        State = "running",
        Status = "Up 1 second",
        Labels = labels ?? [],
    }, truncate: true, DateTimeOffset.UnixEpoch);

    // docker/cli cli/command/formatter/container_test.go
    [Test]
    public void PsTableHasDockersHeaders()
    {
        string text = TemplateFormat.Render("table {{.ID}}\\t{{.Image}}\\t{{.Label \"com.docker.swarm.swarm-id\"}}",
            ContainerRow.Placeholders, [Container("web", new() { ["com.docker.swarm.swarm-id"] = "33" }), Container("db")]);
        Assert.That(text, Is.EqualTo(
            "CONTAINER ID   IMAGE            swarm id\n" +
            "0123456789ab   busybox:latest   33\n" +
            "0123456789ab   busybox:latest   \n"));
    }

    [Test]
    public void PsDefaultTableAndCustomLines()
    {
        Assert.That(TemplateFormat.Render(PsCommand.Resolve("", false, false), ContainerRow.Placeholders, []),
            Is.EqualTo("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"));
        Assert.That(TemplateFormat.Render("{{.ID}}: {{.Names}} {{.Command}} {{.State}}", ContainerRow.Placeholders, [Container("web")]),
            Is.EqualTo("0123456789ab: web \"sleep 1000\" running\n"));
        Assert.That(TemplateFormat.Render("table {{upper .Names}}\\t{{json .Names}}", ContainerRow.Placeholders, [Container("web")]),
            Is.EqualTo("NAMES     NAMES\nWEB       \"web\"\n"));
        Assert.That(TemplateFormat.Render("json", ContainerRow.Placeholders, [Container("web")]), Does.StartWith("{\"Command\":\"\\\"sleep 1000\\\"\""));
    }

    [Test]
    public void PsUnknownFieldIsDockersError()
    {
        var error = Assert.Throws<CliException>(() => PsCommand.CheckFormat("table {{.Foo}}"))!;
        Assert.That(error.Message, Is.EqualTo("failed to execute template: template: :1:8: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext"));
        Assert.That(PsCommand.CheckFormat("{{.ID}} {{.Size}}"), Is.True);
        Assert.That(PsCommand.CheckFormat("{{.ID}}"), Is.False);
    }

    [Test]
    public void ImagesTableWithDigestColumnAdded()
    {
        var image = new ImageSummary { Id = "sha256:af4709625109aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", RepoTags = ["busybox:latest"], Size = 4_261_888, Created = 0 };
        var rows = ImageRow.For(image, true, true, DateTimeOffset.FromUnixTimeSeconds(3600));
        Assert.That(TemplateFormat.Render(ImagesCommand.Resolve("table {{.Repository}}:{{.Tag}}\\t{{.Size}}", false, true), ImageRow.Placeholders, rows),
            Is.EqualTo("REPOSITORY:TAG   SIZE      DIGEST\nbusybox:latest   4.26MB    <none>\n"));
    }
}
