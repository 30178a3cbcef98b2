namespace RlStudio.Environments;

/// <summary>Integer arithmetic for the calculator tool: + − * and parentheses, checked for overflow (no division, no names).</summary>
public static class ArithmeticExpression
{
    /// <summary>The value of <paramref name="text"/>, or false when it is not such an expression (or overflows).</summary>
    public static bool TryEvaluate(string text, out long value)
    {
        var parser = new Parser(text);
        try
        {
            value = parser.Sum();
            parser.SkipSpaces();
            return parser.AtEnd;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            value = 0;
            return false;
        }
    }

    private sealed class Parser(string text)
    {
        private const int MaxDepth = 20;
        private int _position;
        private int _depth;

        public bool AtEnd => _position == text.Length;

        public void SkipSpaces()
        {
            while (_position < text.Length && text[_position] == ' ') _position++;
        }

        public long Sum()
        {
            var value = Product();
            while (true)
            {
                SkipSpaces();
                if (Take('+')) value = checked(value + Product());
                else if (Take('-')) value = checked(value - Product());
                else return value;
            }
        }

        private long Product()
        {
            var value = Factor();
            while (true)
            {
                SkipSpaces();
                if (Take('*')) value = checked(value * Factor());
                else return value;
            }
        }

        private long Factor()
        {
            SkipSpaces();
            if (Take('-')) return checked(-Factor());
            if (Take('('))
            {
                if (++_depth > MaxDepth) throw new FormatException("Too deeply nested.");
                var inner = Sum();
                SkipSpaces();
                if (!Take(')')) throw new FormatException("Missing ).");
                _depth--;
                return inner;
            }
            var start = _position;
            while (_position < text.Length && char.IsAsciiDigit(text[_position])) _position++;
            if (_position == start) throw new FormatException("A number was expected.");
            return long.Parse(text.AsSpan(start, _position - start), System.Globalization.CultureInfo.InvariantCulture);
        }

        private bool Take(char c)
        {
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }
            return false;
        }
    }
}
