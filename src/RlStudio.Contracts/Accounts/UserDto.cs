namespace RlStudio.Contracts.Accounts;

/// <summary>An account as the API returns it. <see cref="Role"/>: Admin, Researcher or Labeler.</summary>
public sealed record UserDto(long Id, string Name, string Role, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset? LockedOutUntil);

/// <summary>
/// <c>POST /api/users</c>'s answer: the account, and its password when the server chose it (shown once; null when the
/// request gave one).
/// </summary>
public sealed record CreatedUserDto(long Id, string Name, string Role, bool Disabled, DateTimeOffset CreatedAt, string? Password);

/// <summary>Body of <c>POST /api/users</c>. Without a password the server generates one and returns it once.</summary>
public sealed record CreateUserRequest(string? Name, string? Role, string? Password = null);

/// <summary>Body of <c>PATCH /api/users/{id}</c>: a null member stays as it is.</summary>
public sealed record UpdateUserRequest(string? Role = null, bool? Disabled = null);

/// <summary><c>GET /api/me</c>: who the caller is. A worker key has no account role: <see cref="Role"/> is "Worker".</summary>
public sealed record MeDto(long? Id, string Name, string Role, long? ApiKeyId, string? Worker);
