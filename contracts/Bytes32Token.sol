// SPDX-License-Identifier: MIT
// A look-alike ERC-20 for the fundtrace devnet: same symbol text as the real devnet token, but
// `symbol()` returns bytes32 (as some early tokens, e.g. MKR, do) and it has other decimals.
// A tracer must treat it as a different asset and must read a bytes32 symbol correctly.
pragma solidity ^0.8.20;

contract Bytes32Token {
    bytes32 public immutable symbol;
    uint8 public constant decimals = 18;
    address public immutable owner;

    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(bytes32 symbol_) {
        symbol = symbol_;
        owner = msg.sender;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == owner, "not owner");
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}
