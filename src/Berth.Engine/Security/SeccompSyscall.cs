namespace Berth.Engine.Security;

/// <summary>A system call the default seccomp profile blocks, its numbers on x86-64 and i386 (-1: none), and the capability that allows it.</summary>
public sealed record SeccompSyscall(string Name, int X86_64, int I386, string? AllowedBy);
