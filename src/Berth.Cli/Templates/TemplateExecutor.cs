using System.Text;
using System.Text.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// Runs a parsed template the way Go's text/template/exec.go does: the pipeline's value flows into the next command
/// as its last argument, variables live until the end of their block, and() and or() stop at their answer, fields
/// resolve on <see cref="TemplateObject"/>s (members) and JSON objects (map keys).
/// </summary>
internal sealed class TemplateExecutor
{
    private static readonly object Missing = new();
    private readonly string _name;
    private readonly string _text;
    private readonly TemplateFunctions _functions;
    private readonly bool _missingKeyError;
    private readonly List<(string Name, object? Value)> _variables = [];
    private readonly StringBuilder _output = new();

    private enum Control
    {
        Normal,
        Break,
        Continue,
    }

    private TemplateExecutor(string name, string text, TemplateFunctions functions, bool missingKeyError)
    {
        _name = name;
        _text = text;
        _functions = functions;
        _missingKeyError = missingKeyError;
    }

    public static string Execute(string name, string text, ListNode root, object? data, TemplateFunctions functions, bool missingKeyError)
    {
        var executor = new TemplateExecutor(name, text, functions, missingKeyError);
        data = TemplateValues.Normalize(data);
        executor._variables.Add(("$", data));
        executor.Walk(data, root);
        return executor._output.ToString();
    }

    private Control Walk(object? dot, TemplateNode node)
    {
        switch (node)
        {
            case TextNode text:
                _output.Append(text.Text);
                return Control.Normal;
            case ListNode list:
                foreach (var child in list.Nodes)
                    if (Walk(dot, child) is var control && control != Control.Normal)
                        return control;
                return Control.Normal;
            case ActionNode action:
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Variables.Count == 0)
                    _output.Append(value is NoValue ? "<no value>" : TemplateValues.Print(value));
                return Control.Normal;
            case BranchNode { Keyword: "range" } range:
                return WalkRange(dot, range);
            case BranchNode branch:
                int mark = _variables.Count;
                try
                {
                    var condition = EvalPipeline(dot, branch.Pipe);
                    if (TemplateValues.IsTrue(condition))
                        return Walk(branch.Keyword == "with" ? condition : dot, branch.List);
                    return branch.ElseList is null ? Control.Normal : Walk(dot, branch.ElseList);
                }
                finally
                {
                    _variables.RemoveRange(mark, _variables.Count - mark);
                }
            case BreakNode:
                return Control.Break;
            case ContinueNode:
                return Control.Continue;
            default:
                throw Error(node, $"unknown node: {node}");
        }
    }

    private Control WalkRange(object? dot, BranchNode range)
    {
        int mark = _variables.Count;
        try
        {
            var pipe = range.Pipe;
            var value = EvalPipeline(dot, pipe with { Variables = [] });
            var items = TemplateValues.Items(value)
                ?? throw Error(range, $"range can't iterate over {TemplateValues.Print(value)}");
            bool any = false;
            foreach (var (key, item) in items)
            {
                any = true;
                int inner = _variables.Count;
                if (pipe.Variables.Count == 1)
                    _variables.Add((pipe.Variables[0], item));
                else if (pipe.Variables.Count == 2)
                {
                    _variables.Add((pipe.Variables[0], key));
                    _variables.Add((pipe.Variables[1], item));
                }
                var control = Walk(item, range.List);
                _variables.RemoveRange(inner, _variables.Count - inner);
                if (control == Control.Break)
                    break;
            }
            if (!any && range.ElseList is not null)
                return Walk(dot, range.ElseList);
            return Control.Normal;
        }
        finally
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        object? value = Missing;
        foreach (var command in pipe.Commands)
            value = EvalCommand(dot, command, value);
        foreach (string name in pipe.Variables)
        {
            if (pipe.IsAssign)
            {
                int index = _variables.FindLastIndex(v => v.Name == name);
                _variables[index] = (name, value);
            }
            else
                _variables.Add((name, value));
        }
        return value;
    }

    private object? EvalCommand(object? dot, CommandNode command, object? final)
    {
        var first = command.Args[0];
        var args = command.Args.Skip(1).ToList();
        switch (first)
        {
            case FieldNode field:
                return EvalFieldChain(dot, dot, field, field.Idents, args, final);
            case ChainNode chain:
                return EvalFieldChain(dot, EvalArg(dot, chain.Node), chain, chain.Fields, args, final);
            case IdentifierNode identifier:
                return EvalFunction(dot, identifier.Name, command, args, final);
            case VariableNode variable:
                if (variable.Idents.Length == 1)
                {
                    NotAFunction(command, args, final);
                    return Variable(variable, variable.Idents[0]);
                }
                return EvalFieldChain(dot, Variable(variable, variable.Idents[0]), variable, variable.Idents[1..], args, final);
            case NilNode:
                throw Error(command, "nil is not a command");
            default:
                NotAFunction(command, args, final);
                return EvalArg(dot, first);
        }
    }

    private void NotAFunction(CommandNode command, List<TemplateNode> args, object? final)
    {
        if (args.Count > 0 || final != Missing)
            throw Error(command, $"can't give argument to non-function {command.Args[0]}");
    }

    private object? EvalArg(object? dot, TemplateNode node) => node switch
    {
        DotNode => dot,
        NilNode => null,
        LiteralNode literal => literal.Value,
        FieldNode field => EvalFieldChain(dot, dot, field, field.Idents, [], Missing),
        VariableNode variable => variable.Idents.Length == 1
            ? Variable(variable, variable.Idents[0])
            : EvalFieldChain(dot, Variable(variable, variable.Idents[0]), variable, variable.Idents[1..], [], Missing),
        ChainNode chain => EvalFieldChain(dot, EvalArg(dot, chain.Node), chain, chain.Fields, [], Missing),
        PipeNode pipe => EvalPipelineScoped(dot, pipe),
        IdentifierNode identifier => EvalFunction(dot, identifier.Name, new CommandNode(identifier.Pos, [identifier]), [], Missing),
        _ => throw Error(node, $"can't handle {node} for arg"),
    };

    private object? EvalPipelineScoped(object? dot, PipeNode pipe)
    {
        int mark = _variables.Count;
        try
        {
            return EvalPipeline(dot, pipe);
        }
        finally
        {
            _variables.RemoveRange(mark, _variables.Count - mark);
        }
    }

    private object? Variable(TemplateNode node, string name)
    {
        int index = _variables.FindLastIndex(v => v.Name == name);
        return index >= 0 ? _variables[index].Value : throw Error(node, $"undefined variable: {name}");
    }

    private object? EvalFieldChain(object? dot, object? receiver, TemplateNode node, string[] idents, List<TemplateNode> args, object? final)
    {
        for (int i = 0; i < idents.Length - 1; i++)
            receiver = EvalField(dot, idents[i], node, [], Missing, receiver);
        return EvalField(dot, idents[^1], node, args, final, receiver);
    }

    private object? EvalField(object? dot, string name, TemplateNode node, List<TemplateNode> args, object? final, object? receiver)
    {
        bool hasArgs = args.Count > 0 || final != Missing;
        switch (receiver)
        {
            case TemplateObject o:
                if (!o.TryGetMember(name, out var member))
                    throw Error(node, $"can't evaluate field {name} in type {o.TypeName}");
                var values = args.Select(a => EvalArg(dot, a)).ToList();
                if (final != Missing)
                    values.Add(final);
                if (values.Count != member.Arity)
                {
                    if (member.Arity == 0)
                        throw Error(node, $"{name} has arguments but cannot be invoked as function");
                    throw Error(node, $"wrong number of args for {name}: want {member.Arity} got {values.Count}");
                }
                try
                {
                    return TemplateValues.Normalize(member.Invoke(values));
                }
                catch (TemplateArgumentException e)
                {
                    throw Error(node, e.Message);
                }
            case JsonElement { ValueKind: JsonValueKind.Object } map:
                if (hasArgs)
                    throw Error(node, $"{name} is not a method but has arguments");
                if (map.TryGetProperty(name, out var value))
                    return TemplateValues.Normalize(value);
                if (_missingKeyError)
                    throw Error(node, $"map has no entry for key \"{name}\"");
                return NoValue.Instance;
            case NoValue:
                if (_missingKeyError)
                    throw Error(node, $"nil data; no entry for key \"{name}\"");
                return NoValue.Instance;
            case null:
                throw Error(node, $"nil pointer evaluating interface {{}}.{name}");
            default:
                throw Error(node, $"can't evaluate field {name} in type {TemplateValues.TypeName(receiver)}");
        }
    }

    private object? EvalFunction(object? dot, string name, CommandNode command, List<TemplateNode> args, object? final)
    {
        var function = _functions.Get(name);
        int count = args.Count + (final == Missing ? 0 : 1);
        if (count < function.Min || (function.Max >= 0 && count > function.Max))
            throw Error(command, $"wrong number of args for {name}: want {TemplateFunctions.Describe(function.Min, function.Max)} got {count}");
        if (name is "and" or "or")
        {
            // Go 1.18: and/or evaluate their arguments one by one and stop at the answer.
            object? value = null;
            for (int i = 0; i < count; i++)
            {
                value = i < args.Count ? EvalArg(dot, args[i]) : final;
                if (TemplateValues.IsTrue(value) == (name == "or"))
                    return value;
            }
            return value;
        }
        var values = args.Select(a => EvalArg(dot, a)).ToList();
        if (final != Missing)
            values.Add(final);
        try
        {
            return function.Invoke(values);
        }
        catch (TemplateArgumentException e)
        {
            throw Error(command, e.Message);
        }
        catch (TemplateCallException e)
        {
            throw Error(command, $"error calling {name}: {e.Message}");
        }
    }

    private TemplateException Error(TemplateNode node, string message) => TemplateException.Execute(_name, _text, node, message);
}
