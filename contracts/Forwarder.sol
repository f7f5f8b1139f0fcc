// SPDX-License-Identifier: MIT
// Splits the ETH it is sent over several recipients (internal transfers). A recipient that
// refuses the payment does not revert the whole call: that share stays here, and the refused
// call frame is reverted (so a tracer must not count it).
pragma solidity ^0.8.20;

contract Forwarder {
    event Refused(address indexed to, uint256 value);

    function split(address payable[] calldata to, uint256[] calldata amounts) external payable {
        require(to.length == amounts.length, "length");
        for (uint256 i = 0; i < to.length; i++) {
            (bool ok, ) = to[i].call{value: amounts[i]}("");
            if (!ok) emit Refused(to[i], amounts[i]);
        }
    }
}
