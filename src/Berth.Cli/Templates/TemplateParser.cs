namespace Berth.Cli.Templates;

/// <summary>
/// Go's text/template/parse over <see cref="TemplateLexer"/>'s tokens: text, actions, if/else if/else, range (with
/// <c>$i, $e :=</c>), with/else with, break/continue, pipelines, declarations and assignments, parenthesised
/// pipelines and field chains. define/template/block are refused: docker's formats never use them.
/// </summary>
internal sealed class TemplateParser
{
    private readonly string _name;
    private readonly string _text;
    private readonly List<TemplateToken> _tokens;
    private readonly Func<string, bool> _isFunction;
    private readonly List<HashSet<string>> _scopes = [["$"]];
    private int _next;
    private int _rangeDepth;

    private TemplateParser(string name, string text, Func<string, bool> isFunction)
    {
        _name = name;
        _text = text;
        _tokens = TemplateLexer.Lex(name, text);
        _isFunction = isFunction;
    }

    public static ListNode Parse(string name, string text, Func<string, bool> isFunction)
    {
        var parser = new TemplateParser(name, text, isFunction);
        var list = parser.ParseList(out string stop, out int stopPos);
        if (stop != "eof")
            throw parser.Error(stopPos, $"unexpected {{{{{stop}}}}}");
        return list;
    }

    private TemplateToken Peek => _tokens[_next];

    private TemplateToken Take() => _tokens[_next++];

    /// <summary>Nodes up to {{end}}, {{else}} (left unconsumed after the keyword) or the end of the text.</summary>
    private ListNode ParseList(out string stop, out int stopPos)
    {
        var nodes = new List<TemplateNode>();
        int pos = Peek.Pos;
        while (true)
        {
            var token = Take();
            switch (token.Kind)
            {
                case TokenKind.Eof:
                    stop = "eof";
                    stopPos = token.Pos;
                    return new ListNode(pos, nodes);
                case TokenKind.Text:
                    nodes.Add(new TextNode(token.Pos, (string)token.Value!));
                    continue;
            }
            // token is {{
            var first = Peek;
            if (first.Kind == TokenKind.Keyword)
            {
                Take();
                switch (first.Text)
                {
                    case "end":
                        Expect(TokenKind.Right, "end");
                        stop = "end";
                        stopPos = first.Pos;
                        return new ListNode(pos, nodes);
                    case "else":
                        stop = "else";
                        stopPos = first.Pos;
                        return new ListNode(pos, nodes);
                    case "if" or "range" or "with":
                        nodes.Add(ParseBranch(first));
                        continue;
                    case "break" or "continue":
                        if (_rangeDepth == 0)
                            throw Error(first.Pos, $"{{{{{first.Text}}}}} outside {{{{range}}}}");
                        Expect(TokenKind.Right, first.Text);
                        nodes.Add(first.Text == "break" ? new BreakNode(first.Pos) : new ContinueNode(first.Pos));
                        continue;
                    default:
                        throw Error(first.Pos, $"{{{{{first.Text}}}}} is not supported by berth's templates");
                }
            }
            var pipe = ParsePipeline("command", TokenKind.Right, allowDeclaration: true, maxVariables: 1);
            nodes.Add(new ActionNode(first.Pos, pipe));
        }
    }

    private BranchNode ParseBranch(TemplateToken keyword)
    {
        _scopes.Add([]);
        var pipe = ParsePipeline(keyword.Text, TokenKind.Right, allowDeclaration: true, maxVariables: keyword.Text == "range" ? 2 : 1);
        if (keyword.Text == "range")
            _rangeDepth++;
        var list = ParseList(out string stop, out int stopPos);
        if (keyword.Text == "range")
            _rangeDepth--;
        ListNode? elseList = null;
        if (stop == "else")
        {
            if (keyword.Text != "range" && Peek.Kind == TokenKind.Keyword && Peek.Text == keyword.Text)
            {
                // {{else if ...}}: a nested branch that shares this branch's {{end}}.
                var nested = Take();
                elseList = new ListNode(nested.Pos, [ParseBranch(nested)]);
                _scopes.RemoveAt(_scopes.Count - 1);
                return new BranchNode(pipe.Pos, keyword.Text, pipe, list, elseList);
            }
            Expect(TokenKind.Right, "else");
            elseList = ParseList(out stop, out stopPos);
            if (stop == "else")
                throw Error(stopPos, "expected end; found {{else}}");
        }
        if (stop != "end")
            throw Error(stopPos, "unexpected EOF");
        _scopes.RemoveAt(_scopes.Count - 1);
        return new BranchNode(pipe.Pos, keyword.Text, pipe, list, elseList);
    }

    private void Expect(TokenKind kind, string context)
    {
        var token = Take();
        if (token.Kind != kind)
            throw Error(token.Pos, $"unexpected {Describe(token)} in {context}");
    }

    private PipeNode ParsePipeline(string context, TokenKind end, bool allowDeclaration, int maxVariables)
    {
        int pos = Peek.Pos;
        var variables = new List<string>();
        bool isAssign = false;
        if (allowDeclaration && Peek.Kind == TokenKind.Variable && !Peek.Text.Contains('.'))
        {
            int save = _next;
            var names = new List<TemplateToken> { Take() };
            while (Peek.Kind == TokenKind.Comma && names.Count < maxVariables)
            {
                Take();
                if (Peek.Kind != TokenKind.Variable)
                    throw Error(Peek.Pos, "too many declarations in " + context);
                names.Add(Take());
            }
            if (Peek.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                isAssign = Take().Kind == TokenKind.Assign;
                foreach (var name in names)
                {
                    if (isAssign && !IsDeclared(name.Text))
                        throw Error(name.Pos, $"undefined variable \"{name.Text}\"");
                    variables.Add(name.Text);
                }
            }
            else if (names.Count > 1)
                throw Error(Peek.Pos, "too many declarations in " + context);
            else
                _next = save;
        }
        var commands = new List<CommandNode>();
        while (true)
        {
            var command = ParseCommand();
            commands.Add(command);
            var token = Take();
            if (token.Kind == TokenKind.Pipe)
                continue;
            if (token.Kind != end)
                throw Error(token.Pos, $"unexpected {Describe(token)} in {context}");
            break;
        }
        if (!isAssign)
            foreach (string name in variables)
                _scopes[^1].Add(name);
        return new PipeNode(pos, variables, isAssign, commands);
    }

    private bool IsDeclared(string name) => _scopes.Any(s => s.Contains(name));

    private CommandNode ParseCommand()
    {
        var args = new List<TemplateNode>();
        int pos = Peek.Pos;
        while (Peek.Kind is not (TokenKind.Pipe or TokenKind.Right or TokenKind.RParen))
        {
            if (Peek.Kind == TokenKind.Eof)
                throw Error(Peek.Pos, "unclosed action");
            args.Add(ParseOperand());
        }
        if (args.Count == 0)
            throw Error(Peek.Pos, "missing value for command");
        return new CommandNode(pos, args);
    }

    private TemplateNode ParseOperand()
    {
        var token = Take();
        TemplateNode term;
        switch (token.Kind)
        {
            case TokenKind.Field:
                term = new FieldNode((int)token.Value!, token.Text[1..].Split('.'));
                break;
            case TokenKind.Dot:
                term = new DotNode(token.Pos);
                break;
            case TokenKind.Variable:
                string[] idents = token.Text.Split('.');
                if (!IsDeclared(idents[0]))
                    throw Error(token.Pos, $"undefined variable \"{idents[0]}\"");
                term = new VariableNode(token.Value as int? ?? token.Pos, idents);
                break;
            case TokenKind.Identifier:
                if (!_isFunction(token.Text))
                    throw Error(token.Pos, $"function \"{token.Text}\" not defined");
                term = new IdentifierNode(token.Pos, token.Text);
                break;
            case TokenKind.Literal:
                term = token.Value is NilLiteral ? new NilNode(token.Pos) : new LiteralNode(token.Pos, token.Value, token.Text);
                break;
            case TokenKind.LParen:
                term = ParsePipeline("parenthesized pipeline", TokenKind.RParen, allowDeclaration: true, maxVariables: 1);
                break;
            default:
                throw Error(token.Pos, $"unexpected {Describe(token)} in operand");
        }
        if (Peek.Kind == TokenKind.Field && Peek.Adjacent)
        {
            var field = Take();
            string[] fields = field.Text[1..].Split('.');
            if (term is LiteralNode or NilNode or DotNode)
                throw Error(field.Pos, $"unexpected . after term \"{term}\"");
            term = term is FieldNode f ? new FieldNode(f.Pos, [.. f.Idents, .. fields]) : new ChainNode(field.Pos, term, fields);
        }
        return term;
    }

    private static string Describe(TemplateToken token) => token.Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Right => "\"}}\"",
        TokenKind.Keyword => $"<{token.Text}>",
        _ => $"\"{token.Text}\"",
    };

    private TemplateException Error(int pos, string message) => TemplateException.Parse(_name, _text, pos, message);
}
